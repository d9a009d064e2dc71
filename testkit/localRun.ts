import type { StackHandle } from "../fixtures/referenceStack.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { newRunId } from "../lib/drivers/runId.ts";
import { runEnvironment } from "../lib/result/runEnvironment.ts";
import type { RunContext, RunResult, SuiteName } from "../lib/result/runResult.ts";
import { type LoadData, type LoadObservers, planLoad } from "../load/loadPlan.ts";
import { runLoad } from "../load/runLoad.ts";
import { requireLoadTarget } from "../load/scenarios/loadSection.ts";
import type { ScenarioFlags } from "../load/scenarios/resolveScenarios.ts";
import { requireProbeTarget } from "../probe/probeSection.ts";
import { type ProbeOptions, runProbe } from "../probe/runProbe.ts";
import { runSmoke, type SmokeOptions } from "../smoke/runSmoke.ts";
import { requireSmokeTarget, type SmokeTarget } from "../smoke/smokeSection.ts";
import { stackProfile } from "../targets/localTarget.ts";
import { conforming } from "./readSummary.ts";

/** Test support: the `local` target's profile for a stack a test started itself. */
export function localProfile(stack: StackHandle): TargetProfile {
  return { ...stackProfile(stack), name: "local", production: false };
}

/** Test support: a run context as the CLI would mint it. */
function testRun(suite: SuiteName = "smoke", signal?: AbortSignal): RunContext {
  const startedAt = new Date();
  return {
    suite,
    runId: newRunId(suite, startedAt),
    startedAt,
    environment: runEnvironment(process.env),
    ...(signal ? { signal } : {}),
  };
}

const SMOKE_DEFAULTS: SmokeOptions = {
  phase: 2,
  timeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  keepData: false,
};

/** Test support: one smoke run in-process against `target` (default: the stack's local profile). */
export async function smokeOn(
  stack: StackHandle,
  options: Partial<SmokeOptions> = {},
  target: TargetProfile = localProfile(stack),
): Promise<RunResult> {
  const smokeTarget: SmokeTarget = requireSmokeTarget(target);
  const result = await runSmoke(smokeTarget, testRun("smoke"), { ...SMOKE_DEFAULTS, ...options });
  return conforming(result, "the smoke's result");
}

/** Test support: one load run in-process against the stack, short and small unless told otherwise. */
export async function loadOn(
  stack: StackHandle,
  options: ScenarioFlags & Partial<LoadData> & LoadObservers,
  target: TargetProfile = localProfile(stack),
): Promise<RunResult> {
  const loadTarget = requireLoadTarget(target);
  const {
    onLive,
    onScenarioStart,
    onSample,
    requestTimeoutMs = 10_000,
    keepData = false,
    cleanupTimeoutMs,
    ...flags
  } = options;
  const { plan, problems } = planLoad(loadTarget, {
    durationSec: 2,
    connections: 10,
    ratePerSec: 20,
    ...flags,
    engine: { kind: "node" },
    data: {
      requestTimeoutMs,
      keepData,
      ...(cleanupTimeoutMs !== undefined ? { cleanupTimeoutMs } : {}),
    },
  });
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const observers = {
    ...(onLive ? { onLive } : {}),
    ...(onScenarioStart ? { onScenarioStart } : {}),
    ...(onSample ? { onSample } : {}),
  };
  return conforming(
    await runLoad(loadTarget, testRun("load"), plan, observers),
    "the load's result",
  );
}

/** Test support: one probe run in-process against `target` (default: the stack's local profile). */
export async function probeOn(
  stack: StackHandle,
  options: Partial<ProbeOptions> = {},
  target: TargetProfile = localProfile(stack),
): Promise<RunResult> {
  const result = await runProbe(requireProbeTarget(target), testRun("probe"), {
    requestTimeoutMs: 10_000,
    timeoutMs: 3_000,
    keepData: false,
    confirmProduction: false,
    ...options,
  });
  return conforming(result, "the probe's result");
}
