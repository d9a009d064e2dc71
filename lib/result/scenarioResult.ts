/**
 * What one load scenario adds to a run's result (RunResult.scenarios): per
 * endpoint figures, a per-second series, pools and Postgres, the engine and
 * the generator's own health. Part of the result model (runResult.ts); split
 * out because only the load suite and its reporters read it.
 */

/** Response times of one endpoint (milliseconds), from an HDR histogram. */
export interface LatencyFigures {
  /** Answered requests (errors are counted apart). */
  requests: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface EndpointResult extends LatencyFigures {
  endpoint: string;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  /** Refused, reset, or unanswered within the timeout. */
  errors: number;
  /** The part of `errors` that timed out. */
  timeouts: number;
  /**
   * Answers outside the endpoint's expected statuses (default 200–399):
   * with `errors`, what k6 counts as http_req_failed.
   */
  unexpected: number;
  /**
   * Every answer's latency, mergeable: an HDR histogram of the one versioned
   * configuration (load/engines/node/latencyHistogram.ts), compressed, with exact
   * count, sum, min and max. Engines that keep no histogram (k6's summary)
   * leave it out.
   */
  latency?: {
    version: number;
    unit: "µs";
    count: number;
    sumUs: number;
    minUs: number;
    maxUs: number;
    histogram: string;
  };
}

/** An endpoint's status and error counters: what adds across runners as integers. */
export type EndpointCounts = Pick<
  EndpointResult,
  "status2xx" | "status4xx" | "status5xx" | "errors" | "timeouts" | "unexpected"
>;

/** Every counter at zero, before the first answer. */
export function noCounts(): EndpointCounts {
  return { status2xx: 0, status4xx: 0, status5xx: 0, errors: 0, timeouts: 0, unexpected: 0 };
}

/** One second of a scenario, for charts. */
export interface SecondRow {
  /** Seconds since the scenario started, 1-based: row 1 covers [0, 1). */
  second: number;
  /** Requests that ended in this second. */
  requests: number;
  p50Ms: number;
  p95Ms: number;
  status5xx: number;
  errors: number;
  dropped: number;
  /**
   * Max in use and waiting per sampled pool in this second (waiting absent
   * where nothing exposes it: a pool seen through pg_stat_activity).
   */
  pools?: Record<string, { inUse: number; waiting?: number }>;
  /**
   * Per endpoint, in a scenario of more than one (both engines): its answers
   * of this second, so harm is told apart by endpoint. `overLimit`: answers
   * slower than the endpoint's p95 limit (its p95 is over the limit when
   * more than 5% of its answers are).
   */
  endpoints?: Record<string, SecondEndpoint>;
}

/** One endpoint's part of a second. */
export interface SecondEndpoint {
  /** Answered requests that ended in this second. */
  requests: number;
  status5xx: number;
  errors: number;
  overLimit: number;
}

/** A stretch of a scenario without a successful sample, in ms from its start. */
export interface SampleGap {
  fromMs: number;
  toMs: number;
}

/** One service's pg pool over a scenario. */
export interface PoolResult {
  service: string;
  /** The pool's max, as the service reports it (null: never read). */
  max: number | null;
  maxInUse: number;
  /** Most callers waiting for a connection at once; null: nothing showed it (pg_stat_activity, or no waiting gauge), never 0. */
  maxWaiting: number | null;
  /** Checkouts that timed out during the run; null: not exposed (a pool seen through pg_stat_activity). */
  checkoutTimeouts: number | null;
  /** Times the pool sat at max with callers waiting, for longer than the grace. */
  saturatedOverGrace: number;
  longestSaturationMs: number;
  /** Checkouts that waited longer than the grace (from the service's wait histogram; null: it has none). */
  slowCheckouts: number | null;
  /**
   * How `exhausted` was counted: from the wait histogram (each checkout that
   * waited longer than the grace), or, for a service without one, from
   * saturation (the pool at max with callers waiting for longer than the
   * grace, which can also be a busy pool whose callers each wait briefly),
   * or, for a service with no pool gauges at all, from pg_stat_activity (its
   * application's connections at its configured pool size for longer than
   * the grace).
   */
  exhaustedBy: "waitHistogram" | "saturation" | "pgStatActivity";
  samples: number;
  failedScrapes: number;
  /** The share of the scenario the samples cover (0–1); under POOL_COVERAGE_MIN the threshold has no evidence. */
  coverage: number;
  /** Stretches without a sample (a source that did not answer). */
  gaps: SampleGap[];
  /** Timeouts plus slow checkouts (or saturations): what the pool threshold judges. */
  exhausted: number;
  /**
   * pg_stat_activity only: the stretches (ms from the start) the pool sat
   * at its size for longer than the grace. Exhaustion is such a stretch
   * that coincides, second by second, with harm on the answers.
   */
  saturated?: SampleGap[];
  /**
   * Its exhaustion was read off counters (checkout timeouts, the wait
   * histogram) both before the load and after it: a gap between samples
   * hides no checkout, so the verdict stands whatever the coverage of the
   * gauges (in use, waiting), which stay informational.
   */
  countedThroughout?: true;
  /** What the verdict could not see, said beside it (a saturated pool with no waiting count exposed). */
  warning?: string;
}

/** Postgres as a whole over a scenario (from pg_stat_activity, when a monitoring URL is given). */
export interface DatabaseResult {
  /** max_connections less the superuser reserve. */
  usableConnections: number;
  peakConnections: number;
  peakByApplication: Record<string, number>;
  /** Samples at or over usableConnections: Postgres refuses new connections. */
  atLimitSamples: number;
  samples: number;
  failedSamples: number;
  /** Times the monitoring connection was opened again after it failed. */
  reconnects: number;
  /** The share of the scenario the samples cover (0–1). */
  coverage: number;
  gaps: SampleGap[];
}

/** The load generator's own health: when it was the limit, its latency is not the target's. */
export interface GeneratorResult {
  /** Absent where nothing measured it (a k6 run: no event loop of ours), never 0. */
  eventLoopLagP99Ms?: number;
  eventLoopLagMaxMs?: number;
  /** The generator's CPU (100 = one core); absent where its results do not say (a k6 runner's raw output). */
  cpuPct?: number;
  generatorBound: boolean;
  reason?: string;
}

/**
 * How the connections of a closed-model scenario got their first answer,
 * counted from the scenario's start. A slow ramp (a p99 or max far above the
 * steady-state latency) is connections waiting to be accepted by a
 * saturated target, not slow answers: it is shown apart so a reader can
 * tell the two.
 */
export interface ConnectionRamp {
  connections: number;
  /** Connections that got any answer. */
  answered: number;
  firstAnswerP50Ms: number;
  firstAnswerP99Ms: number;
  firstAnswerMaxMs: number;
}

/** One load scenario as it ran. */
export interface ScenarioResult {
  name: string;
  /** `closed` (N connections) or `open` (a fixed arrival rate). */
  model: Record<string, string | number>;
  engine: { name: "node" | "k6"; version: string };
  durationMs: number;
  endpoints: (EndpointResult & { requestsPerSec: number })[];
  /** Scheduled starts that could not happen (open model). */
  dropped: number;
  /**
   * Requests still open when the scenario stopped and cut (Ctrl-C, or the
   * graceful stop ran out): neither answers nor errors (Node engine; k6
   * reports none here).
   */
  interrupted?: number;
  /** Closed model only. */
  connectionRamp?: ConnectionRamp;
  series: SecondRow[];
  pools: PoolResult[];
  database?: DatabaseResult;
  generator: GeneratorResult;
  /**
   * A merged run (`harness merge`): one row per runner, so a saturated
   * runner or a skewed segment shows. The figures above are the whole's.
   */
  runners?: RunnerRow[];
}

/** One runner of a split run, as its shard reported it. */
export interface RunnerRow {
  /** "2/3 (1/3:2/3 of 0,1/3,2/3,1)". */
  segment: string;
  runId: string;
  /** Answered requests and errors across the scenario's endpoints. */
  requests: number;
  errors: number;
  dropped: number;
  interrupted: number;
  /** The runner's own slowest endpoint p95 (its share only; the whole's is above). */
  p95Ms: number;
  /** How far it started from the agreed start (ms, positive: late); absent without one. */
  startSkewMs?: number;
  /** The runner's own CPU; absent where its results do not say (a k6-operator pod). */
  cpuPct?: number;
  generatorBound: boolean;
}
