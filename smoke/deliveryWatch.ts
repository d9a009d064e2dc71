import { pollUntil } from "../lib/drivers/pollUntil.ts";
import {
  describeJob,
  type JobObservation,
  observeWebhookJob,
} from "../lib/drivers/webhookJobProbe.ts";
import type { AssertionContext } from "./stepContext.ts";

export interface DeliverySettled {
  /** Undefined: the profile's webhookJobId found no job for this run. */
  jobId: string | undefined;
  /** The last thing the queue showed about the run's job (undefined: never read successfully). */
  observation: JobObservation | undefined;
  readError: string | undefined;
  /** What the last read threw, when it threw (a connection failure is "could not judge"). */
  readCause: unknown;
  /** The watch was cut short by the run's abort signal. */
  interrupted: boolean;
  elapsedMs: number;
}

export interface DeliveryWatch {
  /** When the job completed or failed for good, or at the deadline. */
  settled: Promise<DeliverySettled>;
  /**
   * Aborted, with a sentence saying why, once the delivery has failed for
   * good: nothing that depends on it (the log row, the follower link) can
   * come, so checks waiting for those stop then instead of at the deadline.
   */
  dead: AbortSignal;
}

function isDeadForGood(o: JobObservation): boolean {
  return o.kind === "failed" || o.kind === "deadLettered";
}

function isTerminal(o: JobObservation): boolean {
  return o.kind === "completed" || isDeadForGood(o);
}

/**
 * Follows the run's webhook job until it completes, fails for good or the
 * deadline passes. The job id comes from the profile's `webhookJobId`, asked
 * again on each read until it names one (the job may be enqueued after the
 * pay helper answered). Every delivery-dependent check reads this one watch,
 * so they agree.
 */
export function watchDelivery(ctx: AssertionContext): DeliveryWatch {
  const dead = new AbortController();
  const lookup = ctx.connections.lookup();
  const read = async (): Promise<{ jobId?: string; observation?: JobObservation }> => {
    ctx.ids.jobId ??= (await ctx.target.smoke.webhookJobId(ctx.ids, lookup)) || undefined;
    const jobId = ctx.ids.jobId;
    if (jobId === undefined) return {};
    const observation = await observeWebhookJob(ctx.connections, ctx.target.queue, jobId);
    if (isDeadForGood(observation) && !dead.signal.aborted)
      dead.abort(describeJob(jobId, observation));
    return { jobId, observation };
  };
  const settled = pollUntil({
    read,
    done: (seen) => seen.observation !== undefined && isTerminal(seen.observation),
    deadline: ctx.deadline,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  }).then((outcome): DeliverySettled => {
    const seen = outcome.status === "done" ? outcome.value : outcome.last?.value;
    return {
      jobId: seen?.jobId ?? ctx.ids.jobId,
      observation: seen?.observation,
      readError: outcome.status === "done" ? undefined : outcome.lastError,
      readCause: outcome.status === "done" ? undefined : outcome.lastCause,
      interrupted: outcome.status === "aborted",
      elapsedMs: outcome.elapsedMs,
    };
  });
  return { settled, dead: dead.signal };
}

/** Why the run's webhook job could not be followed: what is missing, not a guess at the queue name. */
export function unfollowedHint(ctx: AssertionContext, settled: DeliverySettled): string {
  if (settled.jobId === undefined) {
    return settled.readError
      ? `The profile's smoke.webhookJobId lookup failed: ${settled.readError}`
      : ctx.ids.eventId
        ? `The profile's smoke.webhookJobId named no job for event ${ctx.ids.eventId}: check that function.`
        : `The mark-paid helper's answer carried no event id, and the profile's smoke.webhookJobId found no job for order ${ctx.ids.orderId}: either Pasukuru never enqueued the webhook, or the lookup should match the job another way (e.g. lookup.findJob on the order id in its data).`;
  }
  return `Job ${settled.jobId} could not be read from the queue (${settled.readError ?? "no read"}): check the Redis URL, key prefix and queue name in the profile.`;
}
