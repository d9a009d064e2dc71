import { isCouldNotRead } from "../lib/drivers/dependencyFailure.ts";
import { pollUntil } from "../lib/drivers/pollUntil.ts";
import { deadLetterCount, describeJob } from "../lib/drivers/webhookJobProbe.ts";
import { withinBound } from "../lib/drivers/withinBound.ts";
import type { CheckResult } from "../lib/result/runResult.ts";
import {
  type CheckVerdict,
  couldNotJudge,
  interruptedVerdict,
  timedCheck,
} from "../lib/timedCheck.ts";
import { type DeliverySettled, type DeliveryWatch, unfollowedHint } from "./deliveryWatch.ts";
import { evidenceSource } from "./evidenceSource.ts";
import type { AssertionContext } from "./stepContext.ts";

/**
 * One more read of evidence already seen, retried within a short bound: a
 * connection that blips once between the poll and this read is not a verdict.
 */
async function readAgain<T>(read: () => Promise<T>, deadline: number): Promise<T> {
  const again = await pollUntil({
    read,
    done: () => true,
    deadline: Math.max(deadline, Date.now() + READ_AGAIN_MS),
  });
  if (again.status === "done") return again.value;
  throw again.lastCause ?? new Error("no read succeeded");
}

const READ_AGAIN_MS = 3_000;

function readCount(row: Record<string, unknown> | undefined): number {
  const count = Number(row?.count);
  // A hand-written query that names its column differently must fail loudly, not read as 0 rows.
  if (!row || !Number.isFinite(count)) {
    throw new Error(`the webhookLogCount SQL must return one row with a numeric "count" column`);
  }
  return count;
}

function noRowHint(ctx: AssertionContext, delivery: DeliverySettled): string {
  const o = delivery.observation;
  if (!o) return unfollowedHint(ctx, delivery);
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
  delivery: DeliveryWatch,
): Promise<CheckResult> {
  const expected = `exactly 1 webhook_log row for order ${ctx.ids.orderId}`;
  const statement = ctx.target.smoke.assertions.webhookLogCount;
  const count = async () => readCount((await ctx.connections.query(statement, ctx.ids)).rows[0]);
  return timedCheck(
    "webhookLogHasOrder",
    expected,
    async (): Promise<CheckVerdict> => {
      const first = await pollUntil({
        read: count,
        done: (n) => n >= 1,
        deadline: ctx.deadline,
        // Once the delivery has failed for good no row can come: say so then, not at the deadline.
        giveUp: delivery.dead,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (first.status === "aborted") {
        const seen = first.last ? `${first.last.value} rows` : "nothing";
        return interruptedVerdict(expected, first.elapsedMs, seen);
      }
      if (first.status !== "done") {
        const seen = first.last ? `${first.last.value} rows` : "no successful read";
        const settled = await delivery.settled;
        if (isCouldNotRead(first.lastCause)) {
          return couldNotJudge(
            expected,
            `${seen} after ${first.elapsedMs} ms; the last read failed: ${first.lastError}`,
            first.lastCause,
            evidenceSource(ctx.target, statement.database),
          );
        }
        if (first.lastError) {
          return {
            status: "failed",
            expected,
            observed: `${seen} after ${first.elapsedMs} ms (last error: ${first.lastError})`,
            hint: `The assertion SQL failed: ${first.lastError}`,
          };
        }
        return {
          status: "failed",
          expected,
          observed:
            first.status === "gaveUp"
              ? `${seen} after ${first.elapsedMs} ms; ${first.reason}, so none will come`
              : `${seen} after ${first.elapsedMs} ms`,
          hint: noRowHint(ctx, settled),
        };
      }
      // A second copy can land after the first: count again once the delivery has finished.
      await delivery.settled;
      const rows = await readAgain(count, ctx.deadline);
      if (rows === 1)
        return { status: "passed", expected, observed: `1 row after ${first.elapsedMs} ms` };
      if (rows === 0) {
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
        observed: `${rows} rows`,
        hint: `Curva processed the event ${rows} times: its idempotency on event id is broken (duplicate processing).`,
      };
    },
    "The webhook_log query failed: check the Curva read URL and the assertion SQL.",
  );
}

/** The global dead-letter count before → after, reported beside the run-scoped verdict. */
async function globalDelta(ctx: AssertionContext, before: number | undefined): Promise<string> {
  // Context only, never the verdict: not waited for past the deadline (a second at least).
  const after = await withinBound(
    () => deadLetterCount(ctx.connections, ctx.target.queue),
    Math.max(ctx.deadline - Date.now(), 1_000),
    "DLQ count",
  ).catch(() => undefined);
  if (before === undefined || after === undefined)
    return `DLQ count ${before ?? "?"} → ${after ?? "?"}`;
  const delta = after - before;
  return `DLQ count ${before} → ${after} (${delta >= 0 ? "+" : ""}${delta})`;
}

/** The run's webhook job is not dead-lettered nor retrying; the global DLQ delta is reported beside it. */
export function webhookNotInDlq(
  ctx: AssertionContext,
  delivery: DeliveryWatch,
  /** Undefined when it could not be read; the run-scoped verdict does not depend on it. */
  deadLettersBefore: number | undefined,
): Promise<CheckResult> {
  const { queue } = ctx.target;
  const where =
    queue.deadLetters.kind === "queue"
      ? `dead-letter queue ${queue.deadLetters.name}`
      : `${queue.name} failed set`;
  const expected = `this run's webhook job delivered, not failed or retrying (DLQ: ${where})`;
  return timedCheck(
    "webhookNotInDlq",
    expected,
    async (): Promise<CheckVerdict> => {
      const settled = await delivery.settled;
      const global = await globalDelta(ctx, deadLettersBefore);
      const o = settled.observation;
      if (settled.interrupted && (!o || o.kind === "missing" || o.kind === "pending")) {
        const seen = o && settled.jobId ? describeJob(settled.jobId, o) : "nothing";
        return interruptedVerdict(expected, settled.elapsedMs, `${seen}; ${global}`);
      }
      const terminal =
        o !== undefined &&
        (o.kind === "completed" || o.kind === "failed" || o.kind === "deadLettered");
      // The queue could not be read to the end: what was seen last is no verdict either way.
      if (!terminal && isCouldNotRead(settled.readCause)) {
        const seen = o && settled.jobId ? describeJob(settled.jobId, o) : "nothing";
        return couldNotJudge(
          expected,
          `last seen: ${seen}; the last read failed: ${settled.readError}; ${global}`,
          settled.readCause,
          evidenceSource(ctx.target, "redis"),
        );
      }
      if (settled.jobId === undefined || !o) {
        return {
          status: "failed",
          expected,
          observed:
            settled.jobId === undefined
              ? `no webhook job found for this run after ${settled.elapsedMs} ms; ${global}`
              : `job ${settled.jobId}: unreadable (${settled.readError ?? "no read"}); ${global}`,
          hint: unfollowedHint(ctx, settled),
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
