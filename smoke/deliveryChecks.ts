import { pollUntil } from "../lib/drivers/pollUntil.ts";
import {
  deadLetterCount,
  describeJob,
  type JobObservation,
  observeWebhookJob,
} from "../lib/drivers/webhookJobProbe.ts";
import type { CheckResult } from "../lib/report/runResult.ts";
import type { StepContext } from "./smokeSteps.ts";
import { interruptedVerdict, timedCheck } from "./timedCheck.ts";

export interface AssertionContext extends StepContext {
  /** `Date.now()` by which every effect should be visible. */
  deadline: number;
}

export interface DeliverySettled {
  jobId: string | undefined;
  /** The last thing the queue showed about the run's job (undefined: never read successfully). */
  observation: JobObservation | undefined;
  readError: string | undefined;
  /** The watch was cut short by the run's abort signal. */
  interrupted: boolean;
  elapsedMs: number;
}

function isDeadForGood(o: JobObservation): boolean {
  return o.kind === "failed" || o.kind === "deadLettered";
}

function isTerminal(o: JobObservation): boolean {
  return o.kind === "completed" || isDeadForGood(o);
}

/**
 * Follows the run's webhook job until it completes, fails or the deadline
 * passes. Both delivery checks read this one watch, so they agree.
 */
export async function watchDelivery(ctx: AssertionContext): Promise<DeliverySettled> {
  const jobId = ctx.profile.queue.jobId(ctx.ids);
  if (jobId === undefined) {
    return {
      jobId,
      observation: undefined,
      readError: undefined,
      interrupted: false,
      elapsedMs: 0,
    };
  }
  const outcome = await pollUntil({
    read: () => observeWebhookJob(ctx.connections, ctx.profile.queue, jobId),
    done: isTerminal,
    deadline: ctx.deadline,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (outcome.status === "done") {
    return {
      jobId,
      observation: outcome.value,
      readError: undefined,
      interrupted: false,
      elapsedMs: outcome.elapsedMs,
    };
  }
  return {
    jobId,
    observation: outcome.last?.value,
    readError: outcome.lastError,
    interrupted: outcome.status === "aborted",
    elapsedMs: outcome.elapsedMs,
  };
}

function readCount(row: Record<string, unknown> | undefined): number {
  const count = Number(row?.count);
  // A hand-written query that names its column differently must fail loudly, not read as 0 rows.
  if (!row || !Number.isFinite(count)) {
    throw new Error(`the webhookLogCount SQL must return one row with a numeric "count" column`);
  }
  return count;
}

function noRowHint(delivery: DeliverySettled): string {
  const o = delivery.observation;
  if (!o)
    return "The webhook job could not be read from the queue; check the queue name and prefix in the profile.";
  switch (o.kind) {
    case "missing":
      return "Pasukuru never enqueued the order.paid event: the webhook was dropped before the queue.";
    case "pending":
      return o.attemptsMade > 0
        ? "Deliveries to Curva are failing and being retried (see webhookNotInDlq)."
        : "The job is still waiting: Pasukuru's webhook worker is not consuming the queue.";
    case "failed":
    case "deadLettered":
      return "Deliveries to Curva failed and the job was dead-lettered (see webhookNotInDlq).";
    case "completed":
      return "Curva acknowledged the delivery but wrote no webhook_log row (or the assertion SQL reads the wrong table).";
  }
}

/** Curva's webhook log has exactly one entry for this run's order event; two means duplicate processing. */
export function webhookLogHasOrder(
  ctx: AssertionContext,
  delivery: Promise<DeliverySettled>,
): Promise<CheckResult> {
  const expected = `exactly 1 webhook_log row for order ${ctx.ids.orderId}`;
  const statement = ctx.profile.assertions.webhookLogCount;
  return timedCheck(
    "webhookLogHasOrder",
    expected,
    async () => {
      // Once the delivery has failed for good no row can come, so a red run
      // need not wait out the deadline. The flag is read before the count, so
      // a count read after the failure is the one that ends the wait.
      let failedForGood: { jobId: string; observation: JobObservation } | undefined;
      delivery.then(
        ({ jobId, observation }) => {
          if (jobId && observation && isDeadForGood(observation))
            failedForGood = { jobId, observation };
        },
        // Its failure is reported by awaiting it below, not here.
        () => {},
      );
      const first = await pollUntil({
        read: async () => {
          const final = failedForGood;
          const count = readCount((await ctx.connections.query(statement, ctx.ids)).rows[0]);
          return { count, final };
        },
        done: ({ count, final }) => count >= 1 || final !== undefined,
        deadline: ctx.deadline,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      // A second copy can land after the first: count again once the delivery has finished.
      const settled = await delivery;
      if (first.status === "aborted") {
        return interruptedVerdict(
          expected,
          first.elapsedMs,
          first.last ? `${first.last.value.count} rows` : "nothing",
        );
      }
      if (first.status === "done" && first.value.count === 0 && first.value.final) {
        const { jobId, observation } = first.value.final;
        return {
          status: "failed",
          expected,
          observed: `0 rows after ${first.elapsedMs} ms; ${describeJob(jobId, observation)}, so none will come`,
          hint: noRowHint(settled),
        };
      }
      if (first.status !== "done") {
        const seen = first.last ? `${first.last.value.count} rows` : "no successful read";
        return {
          status: "failed",
          expected,
          observed: `${seen} after ${first.elapsedMs} ms${first.lastError ? ` (last error: ${first.lastError})` : ""}`,
          hint: first.lastError
            ? `The assertion SQL failed: ${first.lastError}`
            : noRowHint(settled),
        };
      }
      const count = readCount((await ctx.connections.query(statement, ctx.ids)).rows[0]);
      if (count === 1)
        return { status: "passed", expected, observed: `1 row after ${first.elapsedMs} ms` };
      if (count === 0) {
        return {
          status: "failed",
          expected,
          observed: "the row disappeared",
          hint: "Something deleted the log row mid-run.",
        };
      }
      return {
        status: "failed",
        expected,
        observed: `${count} rows`,
        hint: `Curva processed the event ${count} times: its idempotency on event id is broken (duplicate processing).`,
      };
    },
    "The webhook_log query failed: check the Curva read URL and the assertion SQL.",
  );
}

/** The global dead-letter count before → after, reported beside the run-scoped verdict. */
async function globalDelta(ctx: AssertionContext, before: number | undefined): Promise<string> {
  const after = await deadLetterCount(ctx.connections, ctx.profile.queue).catch(() => undefined);
  if (before === undefined || after === undefined)
    return `DLQ count ${before ?? "?"} → ${after ?? "?"}`;
  const delta = after - before;
  return `DLQ count ${before} → ${after} (${delta >= 0 ? "+" : ""}${delta})`;
}

/** The run's webhook job is not dead-lettered nor retrying; the global DLQ delta is reported beside it. */
export function webhookNotInDlq(
  ctx: AssertionContext,
  delivery: Promise<DeliverySettled>,
  /** Undefined when it could not be read; the run-scoped verdict does not depend on it. */
  deadLettersBefore: number | undefined,
): Promise<CheckResult> {
  const { queue } = ctx.profile;
  const where =
    queue.deadLetters.kind === "queue"
      ? `dead-letter queue ${queue.deadLetters.name}`
      : `${queue.name} failed set`;
  const expected = `this run's webhook job delivered, not failed or retrying (DLQ: ${where})`;
  return timedCheck(
    "webhookNotInDlq",
    expected,
    async () => {
      const settled = await delivery;
      if (settled.jobId === undefined) {
        return {
          status: "failed",
          expected,
          observed: "no job id for this run",
          hint: "The profile's queue.jobId found no id: does the mark-paid helper return the event id?",
        };
      }
      const global = await globalDelta(ctx, deadLettersBefore);
      const o = settled.observation;
      if (settled.interrupted && (!o || o.kind === "missing" || o.kind === "pending")) {
        const seen = o ? describeJob(settled.jobId, o) : "nothing";
        return interruptedVerdict(expected, settled.elapsedMs, `${seen}; ${global}`);
      }
      if (!o) {
        return {
          status: "failed",
          expected,
          observed: `job ${settled.jobId}: unreadable (${settled.readError ?? "no read"}); ${global}`,
          hint: "The queue could not be read: check the Redis URL, prefix and queue name in the profile.",
        };
      }
      const observed = `${describeJob(settled.jobId, o)}; ${global}`;
      const dead =
        o.kind === "failed" ||
        o.kind === "deadLettered" ||
        (o.kind === "pending" && o.attemptsMade > 0);
      if (!dead) return { status: "passed", expected, observed };
      return {
        status: "failed",
        expected,
        observed,
        hint: "Curva rejects or fails webhook deliveries (5xx, timeout or signature): the event is headed for the DLQ.",
      };
    },
    "The queue probe failed: check the Redis URL and queue settings in the profile.",
  );
}
