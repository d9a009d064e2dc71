import type { RunIds, TargetProfile } from "../lib/config/targetProfile.ts";
import { assertReachable, checkDependencies } from "../lib/drivers/preflight.ts";
import { newRunId, testLineUserId, testUserDisplayName } from "../lib/drivers/runId.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { deadLetterCount } from "../lib/drivers/webhookJobProbe.ts";
import { redactSecrets } from "../lib/redact.ts";
import {
  type CheckResult,
  mapStrings,
  outcomeOf,
  RUN_RESULT_SCHEMA_VERSION,
  type RunResult,
} from "../lib/report/runResult.ts";
import { type CleanupReport, cleanupRun } from "./cleanupRun.ts";
import {
  type AssertionContext,
  watchDelivery,
  webhookLogHasOrder,
  webhookNotInDlq,
} from "./deliveryChecks.ts";
import { followerLinkedToMember, memberHasLineUserId } from "./memberChecks.ts";
import { lineIdentify, orderMarkedPaid, type StepContext, testOrderCreated } from "./smokeSteps.ts";
import { skippedCheck } from "./timedCheck.ts";

export interface SmokeOptions {
  /** 3 adds the follower-link assertion. */
  phase: number;
  /** How long effects may take to become visible after the order is paid. */
  timeoutMs: number;
  keepData: boolean;
  /** Aborting (Ctrl-C) stops the waits; cleanup still runs. */
  signal?: AbortSignal;
  runId?: string;
  /** Told when the run moves to its next stage (the CLI prints it, so a long wait is not silent). */
  onProgress?: (message: string) => void;
}

const ASSERTIONS = ["webhookLogHasOrder", "webhookNotInDlq", "memberHasLineUserId"] as const;

function initialIds(profile: TargetProfile, runId: string): RunIds {
  const displayName = testUserDisplayName(runId);
  if (profile.identity.kind === "preProvisioned") {
    const { lineUserId, memberId } = profile.identity;
    return { runId, displayName, lineUserId, memberId, memberCreated: false };
  }
  return { runId, displayName, lineUserId: testLineUserId() };
}

async function runAssertions(
  ctx: AssertionContext,
  phase: number,
  deadLettersBefore: number | undefined,
): Promise<CheckResult[]> {
  const delivery = watchDelivery(ctx);
  const webhookLog = webhookLogHasOrder(ctx, delivery);
  const member = memberHasLineUserId(ctx);
  const checks = [webhookLog, webhookNotInDlq(ctx, delivery, deadLettersBefore), member];
  if (phase >= 3) checks.push(followerLinkedToMember(ctx));
  return Promise.all(checks);
}

/**
 * The joint smoke: preflight, then identify → create order → mark paid, then
 * the assertions, polled against one deadline. Cleanup runs in `finally`.
 * Throws DependencyUnreachableError before creating anything when a
 * dependency is down; otherwise returns a result with secrets redacted.
 */
export async function runSmoke(profile: TargetProfile, options: SmokeOptions): Promise<RunResult> {
  const startedAt = new Date();
  const runId = options.runId ?? newRunId(startedAt);
  const connections = new TargetConnections(profile);
  const signal = options.signal;
  const progress = options.onProgress ?? (() => {});
  const timings = { preflightMs: 0, stepsMs: 0, assertionsMs: 0, cleanupMs: 0 };
  const ids = initialIds(profile, runId);
  const checks: CheckResult[] = [];
  let cleanup: CleanupReport = {
    status: "skipped",
    detail: "--keep-data: the run's data was kept",
    durationMs: 0,
  };
  try {
    let mark = performance.now();
    const dependencies = await checkDependencies(profile, connections);
    assertReachable(dependencies);
    const deadLettersBefore = await deadLetterCount(connections, profile.queue).catch(
      () => undefined,
    );
    timings.preflightMs = Math.round(performance.now() - mark);
    progress(`run ${runId}: ${dependencies.length} dependencies reachable`);
    try {
      mark = performance.now();
      const ctx: StepContext = {
        profile,
        connections,
        ids,
        requestTimeoutMs: Math.min(Math.max(options.timeoutMs, 1_000), 10_000),
        ...(signal ? { signal } : {}),
      };
      type Step = readonly [string, (c: StepContext) => Promise<CheckResult>];
      const identify: Step[] =
        profile.identity.kind === "mint" ? [["lineIdentify", lineIdentify]] : [];
      const steps: Step[] = [
        ...identify,
        ["testOrderCreated", testOrderCreated],
        ["orderMarkedPaid", orderMarkedPaid],
      ];
      for (const [, step] of steps) {
        if (checks.some((c) => c.status !== "passed") || signal?.aborted) break;
        checks.push(await step(ctx));
      }
      timings.stepsMs = Math.round(performance.now() - mark);
      const pending = [...ASSERTIONS, ...(options.phase >= 3 ? ["followerLinkedToMember"] : [])];
      const stepsPassed =
        checks.length === steps.length && checks.every((c) => c.status === "passed");
      if (stepsPassed && !signal?.aborted) {
        mark = performance.now();
        progress(
          `order ${ids.orderId} paid; waiting up to ${options.timeoutMs} ms for the integration to act`,
        );
        checks.push(
          ...(await runAssertions(
            { ...ctx, deadline: Date.now() + options.timeoutMs },
            options.phase,
            deadLettersBefore,
          )),
        );
        timings.assertionsMs = Math.round(performance.now() - mark);
      } else {
        const because = signal?.aborted
          ? "interrupted before this check ran"
          : "an earlier step failed; nothing to assert";
        const skippedSteps = steps.slice(checks.length).map(([name]) => name);
        for (const name of [...skippedSteps, ...pending])
          checks.push(skippedCheck(name, "(not evaluated)", because));
      }
    } finally {
      if (!options.keepData) {
        progress(`cleaning up run ${runId}`);
        cleanup = await cleanupRun(connections, profile.cleanup, profile.queue, ids);
        timings.cleanupMs = cleanup.durationMs;
      }
    }
  } finally {
    await connections.close();
  }
  const finishedAt = new Date();
  const interrupted = signal?.aborted === true;
  const result: RunResult = {
    schemaVersion: RUN_RESULT_SCHEMA_VERSION,
    suite: "smoke",
    runId,
    target: profile.name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    outcome: outcomeOf(checks, interrupted),
    interrupted,
    options: { phase: options.phase, timeoutMs: options.timeoutMs, keepData: options.keepData },
    checks,
    testData: {
      lineUserId: ids.lineUserId,
      ...(ids.memberId ? { memberId: ids.memberId } : {}),
      ...(ids.orderId ? { orderId: ids.orderId } : {}),
      ...(ids.eventId ? { eventId: ids.eventId } : {}),
    },
    cleanup,
    timings,
  };
  const secrets = [...profile.secrets, ids.idToken];
  return mapStrings(result, (text) => redactSecrets(text, secrets));
}
