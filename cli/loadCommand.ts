import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { OpenTarget } from "../lib/config/openTarget.ts";
import { ConfigError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import type { RunContext } from "../lib/result/runResult.ts";
import {
  shardPlan,
  shardSummary,
  VERIFY_SAMPLES_FILE,
  writeShard,
} from "../load/distribute/shard.ts";
import { findK6, k6Version } from "../load/engines/k6/runK6.ts";
import { type EngineChoice, type LoadPlan, planLoad } from "../load/loadPlan.ts";
import { runLoad } from "../load/runLoad.ts";
import { type LoadTarget, requireLoadTarget } from "../load/scenarios/loadSection.ts";
import { resolveScenarios, type ScenarioFlags } from "../load/scenarios/resolveScenarios.ts";
import type { ScenarioDefinition } from "../load/scenarios/scenarios.ts";
import type { CliOptions } from "./commandLine.ts";
import { livePrinter } from "./liveLine.ts";
import { report } from "./runReports.ts";

type Env = Readonly<Record<string, string | undefined>>;

/*
 * `harness load`: the scenarios the flags and the target name, on the
 * engine chosen, reported as a run, or (a runner of a split run) written as
 * a shard for `harness merge`.
 */

/** What the flags say of the scenarios: names and overrides (the generators read them too). */
function scenarioFlags(options: CliOptions): ScenarioFlags {
  return {
    scenarios: options.scenarios,
    ...(options.durationSec ? { durationSec: options.durationSec } : {}),
    ...(options.connections ? { connections: options.connections } : {}),
    ...(options.ratePerSec ? { ratePerSec: options.ratePerSec } : {}),
    thresholds: options.thresholds,
  };
}

/** The scenarios a run drives: the flags over the target's config; every problem at once, exit 2. */
export function scenariosOf(target: LoadTarget, options: CliOptions): ScenarioDefinition[] {
  const { scenarios, problems } = resolveScenarios(target, scenarioFlags(options));
  if (problems.length > 0) throw new ConfigError(problems, "Bad scenarios or thresholds");
  return scenarios;
}

/** The flags made a plan, once: the scenarios, the engine, this runner's split, the data's handling. */
function loadPlanOf(target: LoadTarget, options: CliOptions, engine: EngineChoice): LoadPlan {
  const { plan, problems } = planLoad(target, {
    ...scenarioFlags(options),
    engine,
    split: options.split,
    data: {
      requestTimeoutMs: options.requestTimeoutMs,
      keepData: options.keepData,
      cleanupTimeoutMs: options.cleanupTimeoutMs,
    },
  });
  if (problems.length > 0) throw new ConfigError(problems, "Bad scenarios or thresholds");
  return plan;
}

/** --engine: k6 when asked (or, with auto, when installed), else the Node engine. */
export async function chooseEngine(choice: CliOptions["engine"], env: Env): Promise<EngineChoice> {
  if (choice === "node") return { kind: "node" };
  const bin = findK6(env);
  if (bin) return { kind: "k6", bin, version: await k6Version(bin) };
  if (choice === "auto") return { kind: "node" };
  throw new ConfigError(
    [
      env.K6_BIN
        ? `--engine k6: K6_BIN="${env.K6_BIN}" is not an executable file.`
        : "--engine k6: no k6 on PATH. Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or set K6_BIN, or use --engine node.",
    ],
    "Usage error",
  );
}

export async function loadCommand(
  target: OpenTarget,
  options: CliOptions,
  engine: EngineChoice,
  env: Env,
  run: RunContext,
): Promise<number> {
  const loadTarget = requireLoadTarget(target.profile);
  const plan = loadPlanOf(loadTarget, options, engine);
  const live = livePrinter(process.stderr);
  const { segment, shardDir, startAtMs } = plan.split;
  const scenarioStarts = new Map<string, number>();
  // Verification mode (HARNESS_VERIFY_SAMPLES=1 with --shard-dir): every latency as recorded, beside the shard.
  const samples =
    shardDir !== undefined && env.HARNESS_VERIFY_SAMPLES === "1"
      ? new Map<string, number[]>()
      : undefined;
  const progress = (message: string) => {
    live.end();
    run.onProgress?.(message);
  };
  const result = await runLoad(loadTarget, { ...run, onProgress: progress }, plan, {
    onLive: live.print,
    onScenarioStart: (name, at) => scenarioStarts.set(name, at),
    ...(samples
      ? {
          onSample: (scenario: string, endpoint: string, us: number) => {
            const key = `${scenario} ${endpoint}`;
            const list = samples.get(key) ?? [];
            if (list.length === 0) samples.set(key, list);
            list.push(us);
          },
        }
      : {}),
  });
  live.end();
  if (shardDir === undefined || !segment) return report(result, options, env);
  // A runner of a split run judges nothing: its shard goes to harness merge with the others.
  const manifest = await writeShard(shardDir, {
    plan: shardPlan(loadTarget, plan.engine.kind, plan.scenarios, segment),
    segment,
    result,
    ...(startAtMs !== undefined ? { agreedStartMs: startAtMs } : {}),
    scenarioStarts,
  });
  if (samples)
    await writeFile(
      join(shardDir, VERIFY_SAMPLES_FILE),
      JSON.stringify(Object.fromEntries(samples)),
    );
  process.stdout.write(shardSummary(manifest, shardDir));
  return exitCodeFor(manifest.exitStatus === "complete" ? "pass" : "interrupted");
}
