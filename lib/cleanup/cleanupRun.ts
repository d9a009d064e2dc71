import { setTimeout as sleep } from "node:timers/promises";
import type { QueueSpec, SqlStatement } from "../config/targetProfile.ts";
import type { LateAnswers } from "../drivers/lateAnswers.ts";
import type { TargetConnections } from "../drivers/targetConnections.ts";
import { BoundExceededError, withinBound } from "../drivers/withinBound.ts";
import { DependencyUnreachableError, describeError } from "../errors.ts";
import type { CleanupReport } from "../result/runResult.ts";

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
    while ((await connections.redisOp("getJob", () => queue.getJob(jobId))) !== undefined) {
      if ((await connections.redisOp("remove", () => queue.remove(jobId))) === 1) {
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
): Promise<{ rows: number; errors: string[]; couldNotReach?: string }> {
  let rows = 0;
  const errors: string[] = [];
  let couldNotReach: string | undefined;
  for (const statement of statements) {
    try {
      rows += (await connections.query(statement, args, "cleanup")).rowCount;
    } catch (error) {
      if (error instanceof DependencyUnreachableError) {
        couldNotReach ??= error.dependency;
        errors.push(`${statement.database} rows (${error.dependency}: ${error.reason})`);
      } else errors.push(`${statement.database}: ${describeError(error)}`);
    }
  }
  return { rows, errors, ...(couldNotReach ? { couldNotReach } : {}) };
}

/** Cleanup's own bounds: every run's cleanup ends within `totalMs`, whatever its stores do. */
export const CLEANUP_DEFAULTS = {
  /** The whole cleanup: late answers, webhook jobs, rows. */
  totalMs: 30_000,
  /** Kept for removing jobs and rows after waiting for late answers (at most a third of the total). */
  removalReserveMs: 10_000,
} as const;

/** A run's cleanup until it runs, and for good under --keep-data. */
export const KEPT_DATA: Readonly<CleanupReport> = {
  status: "skipped",
  detail: "--keep-data: the run's data was kept",
  durationMs: 0,
};

export interface CleanupPlan<Args> {
  /** The profile's cleanup SQL, run in order with `args`. */
  statements: readonly SqlStatement<Args>[];
  args: Args;
  /** Webhook jobs the run caused, removed by id before the rows; asked for after late answers settled. */
  jobs?: { queue: QueueSpec; ids: () => Promise<readonly string[]> };
  /** Requests the run left open; cleanup waits for them (at most `maxWaitMs`) first. */
  late?: { answers: LateAnswers; maxWaitMs: number };
  /** The whole cleanup's bound (default CLEANUP_DEFAULTS.totalMs). */
  boundMs?: number;
  /** The command that removes what is left later, e.g. `pnpm harness sweep --target staging --older-than 1s`. */
  sweepCommand: string;
}

function rowsText(rows: number): string {
  return `removed ${rows} row${rows === 1 ? "" : "s"}`;
}

/**
 * Removes what one run created, by its ids, in the order that leaves nothing:
 * first the requests it left open are given time to finish (what they create
 * is then removed too); then its webhook jobs go, so no delivery can write a
 * log row after the rows are deleted; then the rows. The whole of it ends
 * within the plan's bound; what it could not remove is named, with the sweep
 * that removes it later.
 */
export async function cleanupRun<Args>(
  connections: TargetConnections,
  plan: CleanupPlan<Args>,
): Promise<CleanupReport> {
  const started = performance.now();
  const boundMs = plan.boundMs ?? CLEANUP_DEFAULTS.totalMs;
  const errors: string[] = [];
  const notes: string[] = [];
  let couldNotReach: string | undefined;
  let jobsRemoved = 0;
  let rows = 0;
  let stage = "waiting for the requests it left open";
  const work = async () => {
    if (plan.late && plan.late.answers.pending.length > 0) {
      const count = plan.late.answers.pending.length;
      const reserve = Math.min(CLEANUP_DEFAULTS.removalReserveMs, boundMs / 3);
      const { waitedMs, open } = await plan.late.answers.settle(
        Math.max(0, Math.min(plan.late.maxWaitMs, boundMs - reserve)),
      );
      notes.push(`waited ${waitedMs} ms for ${count} late answer${count === 1 ? "" : "s"} first`);
      if (open.length > 0) {
        errors.push(
          `whatever ${open.join(", ")} creates after cleanup (still unanswered after ${waitedMs} ms)`,
        );
      }
    }
    if (plan.jobs) {
      stage = "removing its webhook jobs";
      const { queue } = plan.jobs;
      const jobIds = await plan.jobs.ids().catch((error: unknown) => {
        if (error instanceof DependencyUnreachableError) couldNotReach ??= error.dependency;
        errors.push(`the run's webhook job (finding it failed: ${describeError(error)})`);
        return [];
      });
      for (const jobId of jobIds) {
        try {
          const removal = await removeJob(connections, queue, jobId);
          if (removal === "removed") jobsRemoved++;
          if (removal === "locked") errors.push(`job ${jobId} stayed locked by a worker`);
        } catch (error) {
          if (error instanceof DependencyUnreachableError) {
            couldNotReach ??= error.dependency;
            errors.push(`job ${jobId} (${error.dependency}: ${error.reason})`);
          } else errors.push(`job ${jobId}: ${describeError(error)}`);
        }
      }
    }
    stage = "removing its rows";
    const removed = await runStatements(connections, plan.statements, plan.args);
    rows = removed.rows;
    couldNotReach ??= removed.couldNotReach;
    errors.push(...removed.errors);
    stage = "done";
  };
  try {
    await withinBound(work, boundMs, "cleanup");
  } catch (error) {
    if (!(error instanceof BoundExceededError)) throw error;
    couldNotReach ??= "its stores (no answer in time)";
    errors.push(`everything from "${stage}" on (cleanup did not finish within ${boundMs} ms)`);
  }
  const jobs =
    jobsRemoved === 0
      ? ""
      : jobsRemoved === 1
        ? " and the webhook job"
        : ` and ${jobsRemoved} webhook jobs`;
  const removed = `${rowsText(rows)}${jobs}${notes.length ? ` (${notes.join("; ")})` : ""}`;
  const durationMs = Math.round(performance.now() - started);
  if (errors.length > 0) {
    return {
      status: "failed",
      detail: `${removed}; left behind: ${errors.join("; ")}. Remove it later with \`${plan.sweepCommand}\`.`,
      durationMs,
      ...(couldNotReach ? { couldNotReach } : {}),
    };
  }
  return { status: "done", detail: removed, durationMs };
}
