import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CLEANUP_DEFAULTS, cleanupRun, KEPT_DATA } from "../lib/cleanup/cleanupRun.ts";
import { type Heartbeat, runHeartbeat } from "../lib/cleanup/heartbeat.ts";
import { checkDependencies, serviceVersions } from "../lib/drivers/preflight.ts";
import { assertReachable, probeDependency, reachPostgres } from "../lib/drivers/reachability.ts";
import { testUserDisplayName } from "../lib/drivers/runId.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { redactSecrets } from "../lib/redact.ts";
import {
  type CleanupReport,
  finishRun,
  type MetricSummary,
  outcomeOf,
  type RunContext,
  type RunResult,
  type ThresholdResult,
} from "../lib/result/runResult.ts";
import type { ScenarioResult } from "../lib/result/scenarioResult.ts";
import { bundleK6Script, K6_SCRIPTS } from "./engines/k6/bundleK6Script.ts";
import { k6Engine } from "./engines/k6/runK6.ts";
import { nodeEngine } from "./engines/node/nodeEngine.ts";
import type { LiveFigures, ScenarioEngine } from "./engines/scenarioEngine.ts";
import {
  type ExecutionSegment,
  MAX_START_WAIT_MS,
  SegmentStripe,
  segmentText,
} from "./executionSegment.ts";
import type { LoadRequests } from "./k6format/k6Plan.ts";
import { loadRequests } from "./loadRequests.ts";
import { loadTraffic, mintIdentities } from "./loadTraffic.ts";
import { runScenario } from "./runScenario.ts";
import { declaredSecrets, testUserEndpoints } from "./scenarios/declaredScenarios.ts";
import type { LoadTarget } from "./scenarios/loadSection.ts";
import {
  arrivalsOf,
  modelSummary,
  peakUsers,
  type ScenarioDefinition,
} from "./scenarios/scenarios.ts";

/** Which engine drives the load: the Node engine, or a k6 binary (the engine of record). */
export type EngineChoice = { kind: "node" } | { kind: "k6"; bin: string; version: string };

export interface LoadOptions {
  /** Built-in or declared scenario names, or "all" (every one the target can run). */
  scenarios: readonly string[];
  engine: EngineChoice;
  /** Replaces each scenario's duration. */
  durationSec?: number;
  /** Replaces the closed scenarios' connection count. */
  connections?: number;
  /** Replaces the open scenario's arrival rate. */
  ratePerSec?: number;
  /** Threshold conditions by metric key, from flags (applied after the target's config). */
  thresholds?: Readonly<Record<string, string>>;
  /** Bounds each call that mints a test identity. */
  requestTimeoutMs: number;
  keepData: boolean;
  /** Cleanup's total bound (default CLEANUP_DEFAULTS.totalMs). */
  cleanupTimeoutMs?: number;
  /** Once a second while a scenario runs. */
  onLive?: (live: LiveFigures) => void;
  /** This runner's share of every scenario (`--segment`); absent, the whole. */
  segment?: ExecutionSegment;
  /**
   * The agreed start (epoch ms, `--start-at`): the first scenario waits for
   * it, so the runners of a split run start together.
   */
  startAtMs?: number;
  /** Told as each scenario starts (epoch ms): a runner records how far it started from the agreed time. */
  onScenarioStart?: (scenario: string, startedAtMs: number) => void;
  /** A runner's shard folder: a k6 runner writes its raw results there (merge reads them, raw-exact). */
  shardDir?: string;
  /** Verification mode (Node engine): every answer's latency as recorded (µs). */
  onSample?: (scenario: string, endpoint: string, us: number) => void;
}

/** Test users minted for identify: one per connection, or enough to rotate through at a rate. */
const OPEN_MODEL_IDENTITIES = 200;

/** Test users to mint: the peak users (or the open model's starts, bounded) of a scenario whose requests are test users. */
export function identitiesNeeded(
  scenarios: readonly ScenarioDefinition[],
  userEndpoints: ReadonlySet<string>,
  segment?: SegmentStripe,
): number {
  // A runner mints its own share's users: its users of a closed model, its starts of an open one.
  const share = (n: number) => segment?.countBelow(n) ?? n;
  let needed = 0;
  for (const s of scenarios) {
    if (!s.endpoints.some((e) => e === "identify" || userEndpoints.has(e))) continue;
    const users = peakUsers(s.model);
    needed = Math.max(
      needed,
      users !== undefined
        ? share(users)
        : Math.min(
            OPEN_MODEL_IDENTITIES,
            share(arrivalsOf(s.model)?.total ?? OPEN_MODEL_IDENTITIES),
          ),
    );
  }
  return needed;
}

/**
 * The load suite: preflight, mint the test users identify needs, run each
 * scenario in turn (stopping early on Ctrl-C), then remove what the run
 * created by its run id. Throws DependencyUnreachableError before anything
 * is created when a dependency is down.
 */
export async function runLoad(
  target: LoadTarget,
  run: RunContext,
  scenarios: readonly ScenarioDefinition[],
  options: LoadOptions,
): Promise<RunResult> {
  const connections = new TargetConnections(target);
  const progress = run.onProgress ?? (() => {});
  const stages: Record<string, number> = {};
  const results: ScenarioResult[] = [];
  const thresholds: ThresholdResult[] = [];
  const metrics: MetricSummary[] = [];
  let identityCount = 0;
  let targetVersions: Record<string, string> = {};
  const cleanups: (() => Promise<void>)[] = [];
  let heartbeat: Heartbeat | undefined;
  let interrupted = false;
  let cleanup: CleanupReport = KEPT_DATA;
  try {
    let mark = performance.now();
    const monitoringUrl = target.load.monitoring?.databaseUrl;
    const dependencies = [
      ...(await checkDependencies(target, connections)),
      // The pool sampler's database is the harness's dependency too: checked before any load.
      ...(monitoringUrl
        ? [
            await probeDependency(
              "Postgres (monitoring)",
              monitoringUrl,
              "Is the monitoring database URL right, and may that user read pg_stat_activity?",
              () => reachPostgres(monitoringUrl),
            ),
          ]
        : []),
    ];
    assertReachable(dependencies);
    targetVersions = serviceVersions(dependencies);
    if (target.queue) heartbeat = await runHeartbeat(connections, run.runId);
    stages.preflight = Math.round(performance.now() - mark);
    try {
      const segment = options.segment ? new SegmentStripe(options.segment) : undefined;
      const needed = identitiesNeeded(scenarios, testUserEndpoints(target.load), segment);
      mark = performance.now();
      if (needed > 0) progress(`run ${run.runId}: minting ${needed} test identities`);
      const identities = await mintIdentities(
        target,
        run.runId,
        needed,
        options.requestTimeoutMs,
        connections.http,
        run.signal,
      );
      identityCount = identities.length;
      stages.identities = Math.round(performance.now() - mark);
      // One translation of the load section, which either engine reads.
      const requests = loadRequests(target, run.runId, identities);
      const k6 =
        options.engine.kind === "k6" ? await prepareK6(options.engine, requests) : undefined;
      cleanups.push(async () => {
        if (k6) await rm(k6.workDir, { recursive: true, force: true });
      });
      // Signing secrets by endpoint: never in the requests (k6 gets them through its environment).
      const secrets = {
        ...(target.load.webhook ? { webhook: target.load.webhook.signing.secret } : {}),
        ...declaredSecrets(target.load),
      };
      const engine: ScenarioEngine = k6
        ? k6Engine({ ...k6, secrets, ...(options.shardDir ? { rawDir: options.shardDir } : {}) })
        : nodeEngine(
            loadTraffic(requests, secrets),
            Object.fromEntries(
              Object.entries(requests.endpoints).map(([name, e]) => [name, e.expectedStatuses]),
            ),
            options.onSample,
          );
      for (const [index, scenario] of scenarios.entries()) {
        if (run.signal?.aborted) break;
        if (index === 0 && options.startAtMs !== undefined)
          await waitForStart(options.startAtMs, progress, run.signal);
        if (run.signal?.aborted) break;
        const { model } = scenario;
        progress(
          `${scenario.name}: ${modelSummary(model)}${options.segment ? `, segment ${segmentText(options.segment)}` : ""}`,
        );
        options.onScenarioStart?.(scenario.name, Date.now());
        mark = performance.now();
        const outcome = await runScenario(engine, {
          scenario,
          target,
          ...(run.signal ? { signal: run.signal } : {}),
          ...(options.onLive ? { onLive: options.onLive } : {}),
          onProgress: progress,
          ...(segment ? { segment } : {}),
        });
        stages[scenario.name] = Math.round(performance.now() - mark);
        results.push(outcome.result);
        thresholds.push(...outcome.thresholds);
        metrics.push(...outcome.metrics);
      }
      // Every scenario has its verdict: a signal during cleanup does not take it away.
      interrupted = run.signal?.aborted === true;
      run.onVerdict?.(outcomeOf(thresholds, interrupted));
    } finally {
      for (const done of cleanups) await done();
      if (!options.keepData) {
        progress(`cleaning up run ${run.runId}`);
        cleanup = await cleanupRun(connections, {
          statements: target.load.cleanup,
          args: { runId: run.runId, displayName: testUserDisplayName(run.runId) },
          boundMs: options.cleanupTimeoutMs ?? CLEANUP_DEFAULTS.totalMs,
          sweepCommand: run.sweepCommand ?? `harness sweep --target ${target.name} --older-than 1s`,
        });
        stages.cleanup = cleanup.durationMs;
      }
    }
  } finally {
    await heartbeat?.stop();
    await connections.close();
  }
  return finishRun(
    run,
    target,
    {
      options: {
        scenarios: scenarios.map((s) => s.name).join(","),
        engine: options.engine.kind,
        keepData: options.keepData,
        ...(options.durationSec ? { durationSec: options.durationSec } : {}),
        ...(options.connections ? { connections: options.connections } : {}),
        ...(options.ratePerSec ? { ratePerSec: options.ratePerSec } : {}),
        ...(options.segment ? { segment: segmentText(options.segment) } : {}),
      },
      thresholds,
      metrics,
      scenarios: results,
      testData: { identities: String(identityCount), displayName: testUserDisplayName(run.runId) },
      cleanup,
      stages,
      targetVersions,
      interrupted,
    },
    (text) => redactSecrets(text, target.secrets),
  );
}

/** Waits for the agreed start, at most MAX_START_WAIT_MS; a start already past goes at once (its lateness is recorded). */
async function waitForStart(
  startAtMs: number,
  progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const wait = Math.min(MAX_START_WAIT_MS, startAtMs - Date.now());
  if (wait <= 0) return;
  progress(
    `waiting ${Math.ceil(wait / 1000)} s for the agreed start ${new Date(startAtMs).toISOString()}`,
  );
  await sleep(wait, undefined, signal ? { signal } : {}).catch(() => {});
}

/**
 * The k6 side of a run: the load script bundled into one file, and the
 * run's requests as data, in a private temp dir (the identify bodies carry
 * test users' tokens; it is removed after the run, never the report dir).
 */
async function prepareK6(engine: Extract<EngineChoice, { kind: "k6" }>, parts: LoadRequests) {
  const workDir = await mkdtemp(join(tmpdir(), "harness-k6-"));
  const bundle = join(workDir, "loadScript.js");
  await bundleK6Script(K6_SCRIPTS.load, bundle);
  return { bin: engine.bin, version: engine.version, bundle, workDir, parts };
}
