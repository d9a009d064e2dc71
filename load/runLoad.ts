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
import type { ScenarioEngine } from "./engines/scenarioEngine.ts";
import { MAX_START_WAIT_MS, SegmentStripe, segmentText } from "./executionSegment.ts";
import type { LoadRequests } from "./k6format/k6Plan.ts";
import type { EngineChoice, LoadObservers, LoadPlan } from "./loadPlan.ts";
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
  plan: LoadPlan,
  observers: LoadObservers = {},
): Promise<RunResult> {
  const { scenarios, split, data } = plan;
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
      const segment = split.segment ? new SegmentStripe(split.segment) : undefined;
      const needed = identitiesNeeded(scenarios, testUserEndpoints(target.load), segment);
      mark = performance.now();
      if (needed > 0) progress(`run ${run.runId}: minting ${needed} test identities`);
      const identities = await mintIdentities(
        target,
        run.runId,
        needed,
        data.requestTimeoutMs,
        connections.http,
        run.signal,
      );
      identityCount = identities.length;
      stages.identities = Math.round(performance.now() - mark);
      // One translation of the load section, which either engine reads.
      const { engine, release } = await startEngine(
        plan.engine,
        target,
        loadRequests(target, run.runId, identities),
        {
          ...(split.shardDir ? { rawDir: split.shardDir } : {}),
          ...(observers.onSample ? { onSample: observers.onSample } : {}),
        },
      );
      cleanups.push(release);
      for (const [index, scenario] of scenarios.entries()) {
        if (run.signal?.aborted) break;
        if (index === 0 && split.startAtMs !== undefined)
          await waitForStart(split.startAtMs, progress, run.signal);
        if (run.signal?.aborted) break;
        const { model } = scenario;
        progress(
          `${scenario.name}: ${modelSummary(model)}${split.segment ? `, segment ${segmentText(split.segment)}` : ""}`,
        );
        observers.onScenarioStart?.(scenario.name, Date.now());
        mark = performance.now();
        const outcome = await runScenario(engine, {
          scenario,
          target,
          ...(run.signal ? { signal: run.signal } : {}),
          ...(observers.onLive ? { onLive: observers.onLive } : {}),
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
      if (!data.keepData) {
        progress(`cleaning up run ${run.runId}`);
        cleanup = await cleanupRun(connections, {
          statements: target.load.cleanup,
          args: { runId: run.runId, displayName: testUserDisplayName(run.runId) },
          boundMs: data.cleanupTimeoutMs ?? CLEANUP_DEFAULTS.totalMs,
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
        engine: plan.engine.kind,
        keepData: data.keepData,
        ...plan.asked,
        ...(split.segment ? { segment: segmentText(split.segment) } : {}),
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
 * The engine the plan chose, given the run's requests as data. The k6 side
 * bundles the load script into one file and writes the requests in a
 * private temp dir (the identify bodies carry test users' tokens), removed
 * by `release` after the run, never the report dir. Signing secrets go to
 * the engine apart from the requests (k6 gets them through its environment).
 */
async function startEngine(
  choice: EngineChoice,
  target: LoadTarget,
  requests: LoadRequests,
  record: { rawDir?: string; onSample?: LoadObservers["onSample"] },
): Promise<{ engine: ScenarioEngine; release: () => Promise<void> }> {
  const secrets = {
    ...(target.load.webhook ? { webhook: target.load.webhook.signing.secret } : {}),
    ...declaredSecrets(target.load),
  };
  if (choice.kind === "node") {
    const statuses = Object.fromEntries(
      Object.entries(requests.endpoints).map(([name, e]) => [name, e.expectedStatuses]),
    );
    return {
      engine: nodeEngine(loadTraffic(requests, secrets), statuses, record.onSample),
      release: async () => {},
    };
  }
  const workDir = await mkdtemp(join(tmpdir(), "harness-k6-"));
  const release = () => rm(workDir, { recursive: true, force: true });
  try {
    const bundle = join(workDir, "loadScript.js");
    await bundleK6Script(K6_SCRIPTS.load, bundle);
    const engine = k6Engine({
      bin: choice.bin,
      version: choice.version,
      bundle,
      workDir,
      parts: requests,
      secrets,
      ...(record.rawDir ? { rawDir: record.rawDir } : {}),
    });
    return { engine, release };
  } catch (error) {
    await release();
    throw error;
  }
}
