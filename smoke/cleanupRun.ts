import { setTimeout as sleep } from "node:timers/promises";
import type { QueueSpec, RunIds, SqlStatement } from "../lib/config/targetProfile.ts";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { describeError } from "../lib/errors.ts";
import type { RunResult } from "../lib/report/runResult.ts";

export type CleanupReport = RunResult["cleanup"];

/** A job being delivered is locked by the worker; it is free again within one delivery timeout. */
const JOB_REMOVE_ATTEMPTS = 40;
const JOB_REMOVE_PAUSE_MS = 100;

export type JobRemoval = "removed" | "absent" | "locked";

/** Removes one job by id from the webhook queue (and the dead-letter queue). */
export async function removeJob(
  connections: TargetConnections,
  spec: QueueSpec,
  jobId: string,
): Promise<JobRemoval> {
  const names =
    spec.deadLetters.kind === "queue" ? [spec.name, spec.deadLetters.name] : [spec.name];
  let outcome: JobRemoval = "absent";
  for (const name of names) {
    const queue = connections.queue(name);
    let attempt = 0;
    while ((await queue.getJob(jobId)) !== undefined) {
      if ((await queue.remove(jobId)) === 1) {
        outcome = "removed";
        break;
      }
      if (++attempt >= JOB_REMOVE_ATTEMPTS) return "locked";
      await sleep(JOB_REMOVE_PAUSE_MS);
    }
  }
  return outcome;
}

/** Runs statements in order; one failing does not stop the rest, so as much as possible is removed. */
export async function runStatements<Args>(
  connections: TargetConnections,
  statements: readonly SqlStatement<Args>[],
  args: Args,
): Promise<{ rows: number; errors: string[] }> {
  let rows = 0;
  const errors: string[] = [];
  for (const statement of statements) {
    try {
      rows += (await connections.query(statement, args, "cleanup")).rowCount;
    } catch (error) {
      errors.push(`${statement.database}: ${describeError(error)}`);
    }
  }
  return { rows, errors };
}

/** Removes what this run created, by its ids: rows through the profile's SQL, the webhook job by id. */
export async function cleanupRun(
  connections: TargetConnections,
  statements: readonly SqlStatement<RunIds>[],
  spec: QueueSpec,
  ids: RunIds,
): Promise<CleanupReport> {
  const started = performance.now();
  const { rows, errors } = await runStatements(connections, statements, ids);
  const jobId = spec.jobId(ids);
  let jobs = "";
  if (jobId !== undefined) {
    try {
      const removal = await removeJob(connections, spec, jobId);
      if (removal === "removed") jobs = " and the webhook job";
      if (removal === "locked") errors.push(`job ${jobId} stayed locked by a worker`);
    } catch (error) {
      errors.push(`job ${jobId}: ${describeError(error)}`);
    }
  }
  const durationMs = Math.round(performance.now() - started);
  if (errors.length > 0) {
    return {
      status: "failed",
      detail: `removed ${rows} row${rows === 1 ? "" : "s"}${jobs}; left behind: ${errors.join("; ")}. Run \`harness sweep\` later.`,
      durationMs,
    };
  }
  return {
    status: "done",
    detail: `removed ${rows} row${rows === 1 ? "" : "s"}${jobs}`,
    durationMs,
  };
}
