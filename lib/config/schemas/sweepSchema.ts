import { type ProfileNames, sqlStatements } from "./profileRefs.ts";
import { fn, obj } from "./schemaParts.ts";

/** How `harness sweep` finds and removes what crashed runs left. */
export function sweepSectionSchema(names?: ProfileNames) {
  return obj({
    findRuns: sqlStatements<{ cutoff: Date }>(names).meta({
      description:
        "Rows with column `run_id`: runs created before the cutoff that left data behind.",
    }),
    findJobIds: sqlStatements<{ runId: string }>(names).meta({
      description: "Rows with column `job_id`: a run's webhook jobs, removed from the queue by id.",
    }),
    removeRun: sqlStatements<{ runId: string; displayName: string }>(names).meta({
      description: "Removes one run's rows by its run id. Run in order.",
    }),
    /**
     * The run id a webhook job's data carries, if any. With it, the sweep also
     * finds a run's jobs in the queue itself, so a job whose rows are already
     * gone (cleanup lost Redis after deleting them) is still removed.
     */
    jobRunId: fn<(jobData: unknown) => string | undefined>(
      "(jobData) => run id | undefined",
    ).optional(),
  });
}
