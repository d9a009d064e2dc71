import type { HelperCall } from "../lib/config/targetProfile.ts";
import type { CheckResult } from "../lib/result/runResult.ts";
import { type CheckVerdict, interruptedVerdict, timedCheck } from "../lib/timedCheck.ts";
import { callHelper } from "./helperCall.ts";
import type { StepContext } from "./stepContext.ts";

const THROW_HINT =
  "The service stopped answering mid-run (connection refused or reset): is it restarting or overloaded?";

interface StepSpec<T> {
  name: string;
  expected: string;
  call: HelperCall<T>;
  /** Stores what the helper returned in the run's ids, whether it came on time or late. */
  record: (value: T) => void;
  passed: (value: T) => string;
  /** Work before the call (minting the token identify needs). */
  before?: () => Promise<void>;
  /** A step-specific hint for an answer's status, where a general one would mislead. */
  statusHint?: (status: number) => string | undefined;
}

/** Calls one of the profile's helpers with this run's ids and turns the outcome into a verdict. */
function step<T>(ctx: StepContext, spec: StepSpec<T>): Promise<CheckResult> {
  const { expected } = spec;
  return timedCheck(
    spec.name,
    expected,
    async (): Promise<CheckVerdict> => {
      const startedAt = performance.now();
      await spec.before?.();
      const outcome = await callHelper(ctx, spec.call, spec.record);
      if (outcome.ok) return { status: "passed", expected, observed: spec.passed(outcome.value) };
      if (!outcome.answered && outcome.why === "interrupted") {
        return interruptedVerdict(expected, Math.round(performance.now() - startedAt), "no answer");
      }
      const hint = (outcome.answered && spec.statusHint?.(outcome.status)) || outcome.hint;
      return { status: "failed", expected, observed: outcome.observed, hint };
    },
    THROW_HINT,
  );
}

/** The test user enters as a LIFF user would: mint an ID token, then `identify` with it. */
export function lineIdentify(ctx: StepContext): Promise<CheckResult> {
  const identity = ctx.target.smoke.identity;
  if (identity.kind !== "mint") throw new Error("lineIdentify needs a minting identity");
  return step(ctx, {
    name: "lineIdentify",
    expected: "identify answers with a member id for the test user",
    call: identity.identify,
    record: (value) => {
      ctx.ids.memberId = value.memberId;
      ctx.ids.memberCreated = value.created;
    },
    passed: (value) => `member ${value.memberId} (${value.created ? "created" : "existing"})`,
    before: async () => {
      const token = await identity.mintIdToken(
        { sub: ctx.ids.lineUserId, name: ctx.ids.displayName },
        {
          timeoutMs: ctx.requestTimeoutMs,
          agent: ctx.connections.http,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        },
      );
      ctx.ids.idToken = token.idToken;
    },
    statusHint: (status) =>
      status === 401
        ? "Pasukuru rejected the ID token: its channel id (aud), issuer or LINE JWKS URL differ from the token issuer's."
        : undefined,
  });
}

export function testOrderCreated(ctx: StepContext): Promise<CheckResult> {
  return step(ctx, {
    name: "testOrderCreated",
    expected: "Curva's test helper creates an order and returns its id",
    call: ctx.target.smoke.helpers.createOrder,
    record: (value) => {
      ctx.ids.orderId = value.orderId;
      if (value.followerId !== undefined) ctx.ids.followerId = value.followerId;
    },
    passed: (value) => `order ${value.orderId}`,
  });
}

export function orderMarkedPaid(ctx: StepContext): Promise<CheckResult> {
  return step(ctx, {
    name: "orderMarkedPaid",
    expected: "Pasukuru's test helper marks the order paid",
    call: ctx.target.smoke.helpers.markPaid,
    record: (value) => {
      if (value.eventId) ctx.ids.eventId = value.eventId;
    },
    passed: (value) =>
      `order ${ctx.ids.orderId} paid${value.eventId ? `, event ${value.eventId}` : ""}`,
  });
}
