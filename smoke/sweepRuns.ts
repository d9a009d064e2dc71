import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { assertReachable, checkDependencies } from "../lib/drivers/preflight.ts";
import { isRunId, testUserDisplayName } from "../lib/drivers/runId.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { describeError } from "../lib/errors.ts";
import { redactSecrets } from "../lib/redact.ts";
import { removeJob, runStatements } from "./cleanupRun.ts";

export interface SweptRun {
  runId: string;
  rows: number;
  jobs: number;
  errors: string[];
}

export interface SweepReport {
  target: string;
  cutoff: string;
  runs: SweptRun[];
}

/**
 * Finds smoke runs older than the cutoff that left data behind (a crash, a
 * kill -9) and removes each one by its run id, as its own cleanup would have.
 */
export async function sweepRuns(
  profile: TargetProfile,
  options: { olderThanMs: number; now?: Date },
): Promise<SweepReport> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanMs);
  const connections = new TargetConnections(profile);
  try {
    assertReachable(await checkDependencies(profile, connections));
    const runIds = new Set<string>();
    for (const statement of profile.sweep.findRuns) {
      const { rows } = await connections.query(statement, { cutoff });
      for (const row of rows) {
        const id = String(row.run_id ?? "");
        // Only ids the harness minted: a sweep never deletes by a pattern it does not own.
        if (isRunId(id)) runIds.add(id);
      }
    }
    const runs: SweptRun[] = [];
    for (const runId of [...runIds].sort()) {
      const run: SweptRun = { runId, rows: 0, jobs: 0, errors: [] };
      try {
        for (const statement of profile.sweep.findJobIds) {
          const { rows } = await connections.query(statement, { runId });
          for (const row of rows) {
            if (row.job_id === null || row.job_id === undefined) continue;
            const removal = await removeJob(connections, profile.queue, String(row.job_id));
            if (removal === "removed") run.jobs++;
            if (removal === "locked") run.errors.push(`job ${String(row.job_id)} stayed locked`);
          }
        }
      } catch (error) {
        run.errors.push(`finding jobs: ${describeError(error)}`);
      }
      const removed = await runStatements(connections, profile.sweep.removeRun, {
        runId,
        displayName: testUserDisplayName(runId),
      });
      run.rows = removed.rows;
      run.errors.push(...removed.errors.map((e) => redactSecrets(e, profile.secrets)));
      runs.push(run);
    }
    return { target: profile.name, cutoff: cutoff.toISOString(), runs };
  } finally {
    await connections.close();
  }
}

/** The sweep's console text. */
export function sweepSummary(report: SweepReport): string {
  const lines = [`sweep · target ${report.target} · runs created before ${report.cutoff}`];
  for (const run of report.runs) {
    lines.push(
      `  ${run.errors.length ? "FAIL" : "done"}  ${run.runId}: ${run.rows} rows, ${run.jobs} jobs removed`,
    );
    for (const error of run.errors) lines.push(`        ${error}`);
  }
  const failed = report.runs.filter((r) => r.errors.length > 0).length;
  lines.push(
    report.runs.length === 0
      ? "nothing to sweep"
      : `${report.runs.length - failed} of ${report.runs.length} leftover runs removed`,
  );
  return `${lines.join("\n")}\n`;
}
