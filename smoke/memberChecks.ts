import { isCouldNotRead } from "../lib/drivers/dependencyFailure.ts";
import { pollUntil } from "../lib/drivers/pollUntil.ts";
import type { CheckResult } from "../lib/result/runResult.ts";
import { couldNotJudge, interruptedVerdict, timedCheck } from "../lib/timedCheck.ts";
import type { DeliveryWatch } from "./deliveryWatch.ts";
import { evidenceSource } from "./evidenceSource.ts";
import type { AssertionContext } from "./stepContext.ts";

type Column = { present: false } | { present: true; value: string | null };

async function readColumn(ctx: AssertionContext, key: ColumnKey, column: string): Promise<Column> {
  const { rows } = await ctx.connections.query(ctx.target.smoke.assertions[key], ctx.ids);
  const row = rows[0];
  if (!row) return { present: false };
  if (!(column in row)) {
    throw new Error(
      `the ${key} SQL must return a "${column}" column (it returned: ${Object.keys(row).join(", ")})`,
    );
  }
  const value = row[column];
  return { present: true, value: value === null || value === undefined ? null : String(value) };
}

function seen(column: Column | undefined): string {
  if (!column) return "no successful read";
  return column.present ? `value ${column.value === null ? "NULL" : column.value}` : "no row";
}

type ColumnKey = "memberLineUserId" | "followerMemberId";

interface ColumnCheck {
  name: string;
  expected: string;
  key: ColumnKey;
  column: string;
  want: string | undefined;
  /** "set", "linked": the word the passing line uses. */
  passedAs: string;
  /** The one-line cause when the value never arrived; `last` is the last successful read. */
  hint: (last: Column | undefined) => Promise<string> | string;
  queryFailedHint: string;
  /** The value depends on the webhook delivery: stop waiting once it failed for good. */
  dependsOn?: DeliveryWatch;
}

/** Polls one column until it holds `want`; both member checks are this with their own hints. */
function columnReaches(ctx: AssertionContext, check: ColumnCheck): Promise<CheckResult> {
  const { expected } = check;
  return timedCheck(
    check.name,
    expected,
    async () => {
      const outcome = await pollUntil({
        read: () => readColumn(ctx, check.key, check.column),
        done: (c) => c.present && c.value === check.want,
        deadline: ctx.deadline,
        ...(check.dependsOn ? { giveUp: check.dependsOn.dead } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (outcome.status === "done") {
        return {
          status: "passed",
          expected,
          observed: `${check.passedAs} after ${outcome.elapsedMs} ms`,
        };
      }
      const last = outcome.last?.value;
      if (outcome.status === "aborted")
        return interruptedVerdict(expected, outcome.elapsedMs, seen(last));
      if (isCouldNotRead(outcome.lastCause)) {
        return couldNotJudge(
          expected,
          `${seen(last)} after ${outcome.elapsedMs} ms; the last read failed: ${outcome.lastError}`,
          outcome.lastCause,
          evidenceSource(ctx.target, ctx.target.smoke.assertions[check.key].database),
        );
      }
      const hint = outcome.lastError
        ? `The assertion SQL failed: ${outcome.lastError}`
        : await check.hint(last);
      const why = outcome.status === "gaveUp" ? `; ${outcome.reason}, so none will come` : "";
      return {
        status: "failed",
        expected,
        observed: `${seen(last)} after ${outcome.elapsedMs} ms${why}`,
        hint,
      };
    },
    check.queryFailedHint,
  );
}

/** Pasukuru's member for the test user carries its LINE user id. */
export function memberHasLineUserId(ctx: AssertionContext): Promise<CheckResult> {
  return columnReaches(ctx, {
    name: "memberHasLineUserId",
    expected: `member ${ctx.ids.memberId}.line_user_id = ${ctx.ids.lineUserId}`,
    key: "memberLineUserId",
    column: "line_user_id",
    want: ctx.ids.lineUserId,
    passedAs: "set",
    hint: (last) =>
      !last?.present
        ? "Pasukuru has no such member: identify did not persist it, or the assertion SQL reads the wrong schema."
        : last.value === null
          ? "Pasukuru's identify answered 200 but stored the member without line_user_id (member link not saved)."
          : "The member is linked to another LINE user: identify upserted the wrong row.",
    queryFailedHint: "The member query failed: check the Pasukuru read URL and the assertion SQL.",
  });
}

/** Why a follower may be unlinked: the member was never linked, or no webhook arrived. */
async function upstreamState(
  ctx: AssertionContext,
): Promise<{ memberLinked: boolean; webhookLogged: boolean }> {
  const [member, log] = await Promise.all([
    readColumn(ctx, "memberLineUserId", "line_user_id"),
    ctx.connections.query(ctx.target.smoke.assertions.webhookLogCount, ctx.ids),
  ]);
  return {
    memberLinked: member.present && member.value === ctx.ids.lineUserId,
    webhookLogged: Number(log.rows[0]?.count ?? 0) > 0,
  };
}

/** Phase 3: Curva's follower for the test user points at the Pasukuru member. */
export function followerLinkedToMember(
  ctx: AssertionContext,
  delivery: DeliveryWatch,
): Promise<CheckResult> {
  return columnReaches(ctx, {
    dependsOn: delivery,
    name: "followerLinkedToMember",
    expected: `line_followers(${ctx.ids.lineUserId}).pasukuru_member_id = ${ctx.ids.memberId}`,
    key: "followerMemberId",
    column: "pasukuru_member_id",
    want: ctx.ids.memberId,
    passedAs: "linked",
    async hint(last) {
      if (!last?.present) {
        return "Curva has no follower for the test user: the test-order helper did not create it, or the SQL reads the wrong schema.";
      }
      const upstream = await upstreamState(ctx);
      if (!upstream.memberLinked) {
        return "The member has no LINE link, so the event carried no member to link (see memberHasLineUserId).";
      }
      if (!upstream.webhookLogged) {
        return delivery.dead.aborted
          ? "The webhook delivery failed for good, so nothing linked the follower (see webhookNotInDlq)."
          : "No webhook reached Curva, so nothing linked the follower (see webhookLogHasOrder).";
      }
      return "Curva logged the webhook but did not save line_followers.pasukuru_member_id (follower link not saved).";
    },
    queryFailedHint: "The follower query failed: check the Curva read URL and the assertion SQL.",
  });
}
