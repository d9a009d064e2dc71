import type { ServiceName } from "../../lib/config/targetProfile.ts";
import type { EndpointResult, ScenarioResult, SecondRow } from "../../lib/result/scenarioResult.ts";
import type { SegmentStripe } from "../executionSegment.ts";
import type { ScenarioDefinition } from "../scenarios/scenarios.ts";
import type { ThresholdSpec } from "../scenarios/thresholds.ts";

/*
 * The seam between the scenario runner (runScenario.ts: the pool sampler,
 * judging, the result, once) and an engine (the Node engine, k6, and later
 * a runner's shard): an engine only drives traffic and says what it measured.
 */

/** What the live progress line shows, once a second. */
export interface LiveFigures {
  scenario: string;
  elapsedSec: number;
  totalSec: number;
  requestsPerSec: number;
  p95Ms: number;
  status5xx: number;
  errors: number;
  pools: Partial<Record<ServiceName, { inUse: number; waiting: number }>>;
}

/** What the runner gives an engine for one scenario. */
export interface EngineContext {
  /** `performance.now()` at the start of the measured window (the pool sampler's too). */
  startedMs: number;
  signal?: AbortSignal;
  /** The pools as last sampled, for the live line. */
  livePools(): LiveFigures["pools"];
  onLive?: (live: LiveFigures) => void;
  onProgress?: (message: string) => void;
  /**
   * This runner's share of the scenario (`--segment`): its users and its
   * striped starts of the whole schedule; absent, the whole.
   */
  segment?: SegmentStripe;
}

/** What an engine measured in one scenario. */
export interface EngineMeasurement {
  engine: ScenarioResult["engine"];
  /** Per endpoint: counts and latency figures (requests per second is the runner's). */
  endpoints: EndpointResult[];
  /** Scheduled starts that could not happen (open models). */
  dropped: number;
  /** Requests still open at the graceful stop's end, cut (an engine that cannot tell leaves it out). */
  interrupted?: number;
  /**
   * How long the load ran, as the engine measured it (k6: its test run's
   * own duration, without the process's start-up and exit); the result's
   * duration and requests per second use it. Absent: the runner's wall time
   * around the engine.
   */
  activeMs?: number;
  /** One row a second, without pools (the runner adds them); empty when the engine keeps none. */
  series: SecondRow[];
  connectionRamp?: ScenarioResult["connectionRamp"];
  /** The engine's own health: a generator that could not keep up measured itself. */
  generator: ScenarioResult["generator"];
  /** The value a threshold is judged on; null when nothing was measured (which never passes). */
  observe(spec: ThresholdSpec): number | null;
  /**
   * The width of the latency bucket holding a value (ms), for engines that
   * judge percentiles on histograms: a threshold within one bucket of its
   * limit is marked borderline. Engines with exact percentiles leave it out.
   */
  bucketMs?(valueMs: number): number;
  /** Frees what the figures were read from; the runner calls it once it has judged. */
  release?(): void;
}

/** An engine: drives one scenario's traffic within its bounds and returns what it measured. */
export interface ScenarioEngine {
  run(scenario: ScenarioDefinition, context: EngineContext): Promise<EngineMeasurement>;
}
