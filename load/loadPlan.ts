import type { LiveFigures } from "./engines/scenarioEngine.ts";
import type { ExecutionSegment } from "./executionSegment.ts";
import type { LoadTarget } from "./scenarios/loadSection.ts";
import { resolveScenarios, type ScenarioFlags } from "./scenarios/resolveScenarios.ts";
import type { ScenarioDefinition } from "./scenarios/scenarios.ts";

/** Which engine drives the load: the Node engine, or a k6 binary (the engine of record). */
export type EngineChoice = { kind: "node" } | { kind: "k6"; bin: string; version: string };

/**
 * A load run as decided, once, from the flags and the target: what runs,
 * on which engine, which share of it, and what is done with the test data.
 * `runLoad` hands each room its part of it, never the whole.
 */
export interface LoadPlan {
  /** What runs: each scenario resolved (flags over the target's config over its definition). */
  scenarios: readonly ScenarioDefinition[];
  /** How it is driven. */
  engine: EngineChoice;
  /** Where this runner stands in a split run; empty for a whole run. */
  split: LoadSplit;
  /** The test data the run makes and removes. */
  data: LoadData;
  /** The flags' overrides as asked, recorded in the result's options. */
  asked: Pick<ScenarioFlags, "durationSec" | "connections" | "ratePerSec">;
}

/** A runner's part of a split run (`--segment`, `--start-at`, `--shard-dir`). */
export interface LoadSplit {
  /** This runner's share of every scenario; absent, the whole. */
  segment?: ExecutionSegment;
  /** The agreed start (epoch ms): the first scenario waits for it, so the runners start together. */
  startAtMs?: number;
  /** A runner's shard folder: a k6 runner writes its raw results there (merge reads them, raw-exact). */
  shardDir?: string;
}

/** The test identities minted and the cleanup that removes them. */
export interface LoadData {
  /** Bounds each call that mints a test identity. */
  requestTimeoutMs: number;
  keepData: boolean;
  /** Cleanup's total bound (default CLEANUP_DEFAULTS.totalMs). */
  cleanupTimeoutMs?: number;
}

/** Who watches a run as it goes: the entry point's printers and a runner's recorders. */
export interface LoadObservers {
  /** Once a second while a scenario runs. */
  onLive?: (live: LiveFigures) => void;
  /** Told as each scenario starts (epoch ms): a runner records how far it started from the agreed time. */
  onScenarioStart?: (scenario: string, startedAtMs: number) => void;
  /** Verification mode (Node engine): every answer's latency as recorded (µs). */
  onSample?: (scenario: string, endpoint: string, us: number) => void;
}

/** What a load run is asked for: the scenario flags, the engine, the split and the data's handling. */
export interface LoadRequest extends ScenarioFlags {
  engine: EngineChoice;
  split?: LoadSplit;
  data: LoadData;
}

/** The plan for a request against a target; every problem at once (an unknown scenario, a threshold naming none). */
export function planLoad(
  target: LoadTarget,
  request: LoadRequest,
): { plan: LoadPlan; problems: string[] } {
  const { scenarios, problems } = resolveScenarios(target, request);
  return {
    plan: {
      scenarios,
      engine: request.engine,
      split: request.split ?? {},
      data: request.data,
      asked: {
        ...(request.durationSec ? { durationSec: request.durationSec } : {}),
        ...(request.connections ? { connections: request.connections } : {}),
        ...(request.ratePerSec ? { ratePerSec: request.ratePerSec } : {}),
      },
    },
    problems,
  };
}
