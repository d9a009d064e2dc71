import type { QueueSpec } from "../config/targetProfile.ts";
import type { TargetConnections } from "./targetConnections.ts";

/** What the queue shows about one webhook job, wherever BullMQ keeps (or dropped) it. */
export type JobObservation =
  /** No job and no finishing event: never enqueued (yet), or removed without a trace. */
  | { kind: "missing" }
  /** Queued, running, or waiting for a retry; `attemptsMade > 0` means a delivery already failed. */
  | { kind: "pending"; state: string; attemptsMade: number; failedReason?: string }
  | { kind: "completed"; attemptsMade: number; source: "job" | "events" }
  | { kind: "failed"; attemptsMade: number; failedReason?: string; source: "job" | "events" }
  /** Found in the separate dead-letter queue. */
  | { kind: "deadLettered"; queue: string };

/** How far back to look in the events stream for a job removed on completion or failure. */
const EVENTS_SCAN = 5_000;

function fieldsOf(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

/**
 * The job's finishing event, if any. `removeOnComplete` / `removeOnFail`
 * delete the job itself, but BullMQ writes `completed` / `failed` to the
 * queue's events stream first; that is how a removed job's fate is still known.
 */
async function finishingEvent(
  connections: TargetConnections,
  spec: QueueSpec,
  jobId: string,
): Promise<JobObservation | undefined> {
  const key = `${spec.prefix}:${spec.name}:events`;
  const entries = (await connections.redisOp("XREVRANGE", () =>
    connections.redis.xrevrange(key, "+", "-", "COUNT", EVENTS_SCAN),
  )) as [string, string[]][];
  for (const [, flat] of entries) {
    const fields = fieldsOf(flat);
    if (fields.jobId !== jobId) continue;
    if (fields.event === "completed")
      return { kind: "completed", attemptsMade: 0, source: "events" };
    if (fields.event === "failed" || fields.event === "retries-exhausted") {
      return {
        kind: "failed",
        attemptsMade: Number(fields.attemptsMade ?? 0),
        ...(fields.failedReason ? { failedReason: fields.failedReason } : {}),
        source: "events",
      };
    }
  }
  return undefined;
}

export async function observeWebhookJob(
  connections: TargetConnections,
  spec: QueueSpec,
  jobId: string,
): Promise<JobObservation> {
  if (spec.deadLetters.kind === "queue") {
    const deadLetters = connections.queue(spec.deadLetters.name);
    const dead = await connections.redisOp("getJob", () => deadLetters.getJob(jobId));
    if (dead) return { kind: "deadLettered", queue: spec.deadLetters.name };
  }
  const queue = connections.queue(spec.name);
  // State first, job data second. The two are separate reads, and a delivery
  // can finish between them; a finished state never changes, so data read
  // after it carries the final attempt count (read the other way round, a
  // job seen "failed" could still show the attempts of the run before).
  const state = await connections.redisOp("getJobState", () => queue.getJobState(jobId));
  const job =
    state === "unknown"
      ? undefined
      : await connections.redisOp("getJob", () => queue.getJob(jobId));
  if (!job) return (await finishingEvent(connections, spec, jobId)) ?? { kind: "missing" };
  const failedReason = job.failedReason || undefined;
  if (state === "completed")
    return { kind: "completed", attemptsMade: job.attemptsMade, source: "job" };
  if (state === "failed") {
    return {
      kind: "failed",
      attemptsMade: job.attemptsMade,
      source: "job",
      ...(failedReason ? { failedReason } : {}),
    };
  }
  return {
    kind: "pending",
    state,
    attemptsMade: job.attemptsMade,
    ...(failedReason ? { failedReason } : {}),
  };
}

/** The global dead-letter count: the failed set's size, or the dead-letter queue's job count. */
export async function deadLetterCount(
  connections: TargetConnections,
  spec: QueueSpec,
): Promise<number> {
  if (spec.deadLetters.kind === "queue") {
    const deadLetters = connections.queue(spec.deadLetters.name);
    const counts = await connections.redisOp("getJobCounts", () => deadLetters.getJobCounts());
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }
  const queue = connections.queue(spec.name);
  const counts = await connections.redisOp("getJobCounts", () => queue.getJobCounts("failed"));
  return counts.failed ?? 0;
}

export function describeJob(jobId: string, observation: JobObservation): string {
  switch (observation.kind) {
    case "missing":
      return `job ${jobId}: not in the queue and no finishing event (never enqueued)`;
    case "pending":
      return observation.attemptsMade > 0
        ? `job ${jobId}: ${observation.state}, retrying after ${observation.attemptsMade} failed attempt(s)` +
            (observation.failedReason ? ` (last error: ${observation.failedReason})` : "")
        : `job ${jobId}: ${observation.state}, not delivered yet`;
    case "completed":
      return `job ${jobId}: completed${observation.source === "events" ? " (removed; seen in the events stream)" : ""}`;
    case "failed":
      return (
        `job ${jobId}: failed${observation.attemptsMade ? ` after ${observation.attemptsMade} attempt(s)` : ""}` +
        (observation.failedReason ? ` (${observation.failedReason})` : "") +
        (observation.source === "events" ? " (removed; seen in the events stream)" : "")
      );
    case "deadLettered":
      return `job ${jobId}: in dead-letter queue ${observation.queue}`;
  }
}
