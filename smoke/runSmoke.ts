import { CLEANUP_DEFAULTS, cleanupRun, KEPT_DATA } from "../lib/cleanup/cleanupRun.ts";
import { type Heartbeat, runHeartbeat } from "../lib/cleanup/heartbeat.ts";
import type { RunIds } from "../lib/config/targetProfile.ts";
import { LATE_ANSWER_MAX_MS, LateAnswers } from "../lib/drivers/lateAnswers.ts";
import { checkDependencies, serviceVersions } from "../lib/drivers/preflight.ts";
import { assertReachable } from "../lib/drivers/reachability.ts";
import { testLineUserId, testUserDisplayName } from "../lib/drivers/runId.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { deadLetterCount } from "../lib/drivers/webhookJobProbe.ts";
import { redactSecrets } from "../lib/redact.ts";
import {
  type CheckResult,
  type CleanupReport,
  finishRun,
  outcomeOf,
  type RunContext,
  type RunResult,
} from "../lib/result/runResult.ts";
import { skippedCheck } from "../lib/timedCheck.ts";
import { dlqBoardProtected } from "./boardCheck.ts";
import { webhookLogHasOrder, webhookNotInDlq } from "./deliveryChecks.ts";
import { watchDelivery } from "./deliveryWatch.ts";
import { followerLinkedToMember, memberHasLineUserId } from "./memberChecks.ts";
import type { SmokeTarget } from "./smokeSection.ts";
import { lineIdentify, orderMarkedPaid, testOrderCreated } from "./smokeSteps.ts";
import type { AssertionContext, StepContext } from "./stepContext.ts";

export interface SmokeOptions {
  /** 3 adds the follower-link assertion. */
  phase: number;
  /** How long effects may take to become visible after the order is paid. */
  timeoutMs: number;
  /** How long one HTTP call to a service may take; independent of `timeoutMs`. */
  requestTimeoutMs: number;
  keepData: boolean;
  /** Cleanup's total bound (default CLEANUP_DEFAULTS.totalMs). */
  cleanupTimeoutMs?: number;
}

const ASSERTIONS = ["webhookLogHasOrder", "webhookNotInDlq", "memberHasLineUserId"] as const;

function initialIds(target: SmokeTarget, runId: string): RunIds {
  const displayName = testUserDisplayName(runId);
  const identity = target.smoke.identity;
  if (identity.kind === "preProvisioned") {
    const { lineUserId, memberId } = identity;
    return { runId, displayName, lineUserId, memberId, memberCreated: false };
  }
  return { runId, displayName, lineUserId: testLineUserId() };
}

function runAssertions(
  ctx: AssertionContext,
  phase: number,
  deadLettersBefore: number | undefined,
): Promise<CheckResult[]> {
  const delivery = watchDelivery(ctx);
  const checks = [
    webhookLogHasOrder(ctx, delivery),
    webhookNotInDlq(ctx, delivery, deadLettersBefore),
    memberHasLineUserId(ctx),
  ];
  if (phase >= 3) checks.push(followerLinkedToMember(ctx, delivery));
  if (ctx.target.smoke.board) checks.push(dlqBoardProtected(ctx));
  return Promise.all(checks);
}

/** The webhook job cleanup removes: the one the watch followed, else asked of the profile once. */
async function jobIdsToRemove(ctx: StepContext): Promise<string[]> {
  if (ctx.ids.jobId) return [ctx.ids.jobId];
  // No order, no payment, no job.
  if (!ctx.ids.orderId) return [];
  let timer: NodeJS.Timeout | undefined;
  const found = await Promise.race([
    Promise.resolve(ctx.target.smoke.webhookJobId(ctx.ids, ctx.connections.lookup())),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ctx.requestTimeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  return found ? [found] : [];
}

/**
 * The joint smoke: preflight, then identify → create order → mark paid, then
 * the assertions, polled against one deadline. Cleanup runs in `finally`.
 * Throws DependencyUnreachableError before creating anything when a
 * dependency is down; otherwise returns a result with secrets redacted.
 */
export async function runSmoke(
  target: SmokeTarget,
  run: RunContext,
  options: SmokeOptions,
): Promise<RunResult> {
  const connections = new TargetConnections(target);
  const { signal } = run;
  const progress = run.onProgress ?? (() => {});
  const cleanupMs = options.cleanupTimeoutMs ?? CLEANUP_DEFAULTS.totalMs;
  const stages = { preflight: 0, steps: 0, assertions: 0, cleanup: 0 };
  const ctx: StepContext = {
    target,
    connections,
    ids: initialIds(target, run.runId),
    requestTimeoutMs: options.requestTimeoutMs,
    late: new LateAnswers(),
    ...(signal ? { signal } : {}),
  };
  const { ids } = ctx;
  const checks: CheckResult[] = [];
  let targetVersions: Record<string, string> = {};
  let heartbeat: Heartbeat | undefined;
  let interrupted = false;
  let cleanup: CleanupReport = KEPT_DATA;
  try {
    let mark = performance.now();
    const dependencies = await checkDependencies(target, connections);
    assertReachable(dependencies);
    targetVersions = serviceVersions(dependencies);
    const deadLettersBefore = await deadLetterCount(connections, target.queue).catch(
      () => undefined,
    );
    // While it runs, a sweep of this target leaves this run alone, whatever its age cut-off.
    heartbeat = await runHeartbeat(connections, run.runId);
    stages.preflight = Math.round(performance.now() - mark);
    progress(`run ${run.runId}: ${dependencies.length} dependencies reachable`);
    try {
      mark = performance.now();
      type Step = readonly [string, (c: StepContext) => Promise<CheckResult>];
      const identify: Step[] =
        target.smoke.identity.kind === "mint" ? [["lineIdentify", lineIdentify]] : [];
      const steps: Step[] = [
        ...identify,
        ["testOrderCreated", testOrderCreated],
        ["orderMarkedPaid", orderMarkedPaid],
      ];
      for (const [, step] of steps) {
        if (checks.some((c) => c.status !== "passed") || signal?.aborted) break;
        checks.push(await step(ctx));
      }
      stages.steps = Math.round(performance.now() - mark);
      const pending = [
        ...ASSERTIONS,
        ...(options.phase >= 3 ? ["followerLinkedToMember"] : []),
        ...(target.smoke.board ? ["dlqBoardProtected"] : []),
      ];
      const stepsPassed =
        checks.length === steps.length && checks.every((c) => c.status === "passed");
      if (stepsPassed && !signal?.aborted) {
        mark = performance.now();
        progress(
          `order ${ids.orderId} paid; waiting up to ${options.timeoutMs} ms for the integration to act`,
        );
        const deadline = Date.now() + options.timeoutMs;
        checks.push(
          ...(await runAssertions({ ...ctx, deadline }, options.phase, deadLettersBefore)),
        );
        stages.assertions = Math.round(performance.now() - mark);
      } else {
        const because = signal?.aborted
          ? "interrupted before this check ran"
          : "an earlier step failed; nothing to assert";
        const skippedSteps = steps.slice(checks.length).map(([name]) => name);
        for (const name of [...skippedSteps, ...pending])
          checks.push(skippedCheck(name, "(not evaluated)", because));
      }
      // The verdict is in: a signal from here on (during cleanup) does not take it away.
      interrupted = signal?.aborted === true;
      run.onVerdict?.(outcomeOf(checks, interrupted));
    } finally {
      if (!options.keepData) {
        const late = ctx.late.pending;
        progress(
          late.length > 0
            ? `cleaning up run ${run.runId} once ${late.join(", ")} has answered (at most ${Math.min(LATE_ANSWER_MAX_MS, cleanupMs)} ms; Ctrl-C again to abandon)`
            : `cleaning up run ${run.runId}`,
        );
        cleanup = await cleanupRun(connections, {
          statements: target.smoke.cleanup,
          args: ids,
          jobs: { queue: target.queue, ids: () => jobIdsToRemove(ctx) },
          late: { answers: ctx.late, maxWaitMs: LATE_ANSWER_MAX_MS },
          boundMs: cleanupMs,
          sweepCommand: run.sweepCommand ?? `harness sweep --target ${target.name} --older-than 1s`,
        });
        stages.cleanup = cleanup.durationMs;
      }
    }
  } finally {
    await heartbeat?.stop();
    await connections.close();
  }
  const testData: Record<string, string> = { lineUserId: ids.lineUserId };
  for (const key of ["memberId", "orderId", "eventId", "jobId"] as const) {
    const value = ids[key];
    if (value) testData[key] = value;
  }
  const secrets = [...target.secrets, ids.idToken];
  return finishRun(
    run,
    target,
    {
      options: {
        phase: options.phase,
        timeoutMs: options.timeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
        keepData: options.keepData,
      },
      checks,
      testData,
      cleanup,
      stages,
      targetVersions,
      interrupted,
    },
    (text) => redactSecrets(text, secrets),
  );
}
