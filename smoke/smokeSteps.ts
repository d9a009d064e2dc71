import type { HelperCall, RunIds, TargetProfile } from "../lib/config/targetProfile.ts";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import type { CheckResult } from "../lib/report/runResult.ts";
import { callHelper, type HelperOutcome } from "./helperCall.ts";
import { timedCheck } from "./timedCheck.ts";

export interface StepContext {
  profile: TargetProfile;
  connections: TargetConnections;
  /** Filled in by the steps as they learn ids. */
  ids: RunIds;
  requestTimeoutMs: number;
  signal?: AbortSignal;
}

const THROW_HINT =
  "The service stopped answering mid-run (timeout or connection reset): is it overloaded or restarting?";

/** Calls one of the profile's helpers with this run's ids, timeout and abort signal. */
function callStepHelper<T>(ctx: StepContext, call: HelperCall<T>): Promise<HelperOutcome<T>> {
  return callHelper(ctx.profile, ctx.connections, call, ctx.ids, {
    timeoutMs: ctx.requestTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

/** The test user enters as a LIFF user would: mint an ID token, then `identify` with it. */
export function lineIdentify(ctx: StepContext): Promise<CheckResult> {
  const identity = ctx.profile.identity;
  const expected = "identify answers with a member id for the test user";
  return timedCheck(
    "lineIdentify",
    expected,
    async () => {
      if (identity.kind !== "mint") throw new Error("lineIdentify needs a minting identity");
      const token = await identity.mintIdToken({
        sub: ctx.ids.lineUserId,
        name: ctx.ids.displayName,
      });
      ctx.ids.idToken = token.idToken;
      const outcome = await callStepHelper(ctx, identity.identify);
      if (!outcome.ok) {
        const hint =
          outcome.status === 401
            ? "Pasukuru rejected the ID token: its channel id (aud), issuer or LINE JWKS URL differ from the token issuer's."
            : outcome.hint;
        return { status: "failed", expected, observed: outcome.observed, hint };
      }
      ctx.ids.memberId = outcome.value.memberId;
      ctx.ids.memberCreated = outcome.value.created;
      return {
        status: "passed",
        expected,
        observed: `member ${outcome.value.memberId} (${outcome.value.created ? "created" : "existing"})`,
      };
    },
    THROW_HINT,
  );
}

export function testOrderCreated(ctx: StepContext): Promise<CheckResult> {
  const expected = "Curva's test helper creates an order and returns its id";
  return timedCheck(
    "testOrderCreated",
    expected,
    async () => {
      const outcome = await callStepHelper(ctx, ctx.profile.helpers.createOrder);
      if (!outcome.ok)
        return { status: "failed", expected, observed: outcome.observed, hint: outcome.hint };
      ctx.ids.orderId = outcome.value.orderId;
      if (outcome.value.followerId !== undefined) ctx.ids.followerId = outcome.value.followerId;
      return { status: "passed", expected, observed: `order ${outcome.value.orderId}` };
    },
    THROW_HINT,
  );
}

export function orderMarkedPaid(ctx: StepContext): Promise<CheckResult> {
  const expected = "Pasukuru's test helper marks the order paid";
  return timedCheck(
    "orderMarkedPaid",
    expected,
    async () => {
      const outcome = await callStepHelper(ctx, ctx.profile.helpers.markPaid);
      if (!outcome.ok)
        return { status: "failed", expected, observed: outcome.observed, hint: outcome.hint };
      if (outcome.value.eventId) ctx.ids.eventId = outcome.value.eventId;
      return {
        status: "passed",
        expected,
        observed: `order ${ctx.ids.orderId} paid${outcome.value.eventId ? `, event ${outcome.value.eventId}` : ""}`,
      };
    },
    THROW_HINT,
  );
}
