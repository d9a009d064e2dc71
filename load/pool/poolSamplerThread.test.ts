import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolResult } from "../../lib/result/scenarioResult.ts";
import { type MetricsProcess, startMetricsProcess } from "../../testkit/metricsProcess.ts";
import { judgeScenario } from "../scenarios/scenarioParts.ts";
import { SCENARIOS } from "../scenarios/scenarios.ts";
import { DEFAULT_POOL_GAUGES } from "./poolGauges.ts";
import { PoolSamplerThread } from "./poolSamplerThread.ts";

/*
 * The pool sampler holds under the load it watches: on its own thread, each
 * source on its own loop, and with counters read before and after the load
 * it misses no checkout. The /metrics it scrapes live in other processes,
 * so a test can hold the main thread as a busy generator would.
 */

const MONITORING = "postgres://postgres@127.0.0.1:5432/postgres";

let fast: MetricsProcess;
let slow: MetricsProcess;

beforeAll(async () => {
  [fast, slow] = await Promise.all([startMetricsProcess(), startMetricsProcess()]);
});
afterAll(async () => {
  await Promise.all([fast?.close(), slow?.close()]);
});

const source = (service: "pasukuru" | "curva", at: MetricsProcess) => ({
  service,
  metricsUrl: `${at.url}/metrics`,
  gauges: DEFAULT_POOL_GAUGES,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds this thread as a generator at full tilt would: no timer, no socket read, for `ms`. */
function holdMainThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

function poolVerdict(pool: PoolResult) {
  const spec = SCENARIOS.identify;
  const verdict = judgeScenario(spec, { pools: [pool], endpoints: [] }, () => 0).find(
    (t) => t.metric === `db_pool_exhausted{scenario:identify,service:${pool.service}}`,
  );
  if (!verdict) throw new Error("no pool threshold");
  return verdict;
}

/** A sampler on its own thread, sampling from now (the load's time zero). */
async function sampling(
  sources: ReturnType<typeof source>[],
  monitoringDatabaseUrl?: string,
): Promise<PoolSamplerThread> {
  const sampler = await PoolSamplerThread.boot({
    sources,
    ...(monitoringDatabaseUrl ? { monitoringDatabaseUrl } : {}),
    services: sources.map((s) => s.service),
  });
  await sampler.start(performance.now());
  return sampler;
}

/** pasukuru sampled 3.4 s, its /metrics unanswered for 2.6 s of them, `slowCheckouts` waiting over 1 s meanwhile. */
async function stalledMidRun(slowCheckouts: number): Promise<PoolResult> {
  await fast.set({ stallMs: 0, slowCheckouts: 0 });
  const sampler = await sampling([source("pasukuru", fast)]);
  await sleep(300);
  await fast.set({ stallMs: 2_600, slowCheckouts });
  await sleep(2_700);
  await fast.set({ stallMs: 0 });
  await sleep(400);
  const { pools } = await sampler.stop();
  return pools[0] as PoolResult;
}

describe("the pool sampler on its own thread", () => {
  it("keeps its interval while the main thread is held for 1.6 s: no gap in /metrics or pg_stat_activity", async () => {
    await fast.set({ stallMs: 0, slowCheckouts: 0 });
    const sampler = await sampling([source("pasukuru", fast)], MONITORING);
    await sleep(300);
    holdMainThread(1_600);
    await sleep(400);
    const { pools, database } = await sampler.stop();
    const pasukuru = pools.find((p) => p.service === "pasukuru");
    console.log(
      `held main thread: pool ${JSON.stringify({ samples: pasukuru?.samples, coverage: pasukuru?.coverage, gaps: pasukuru?.gaps })}; database ${JSON.stringify({ samples: database?.samples, gaps: database?.gaps })}`,
    );
    expect(pasukuru).toMatchObject({ gaps: [], coverage: 1, failedScrapes: 0 });
    expect(database).toMatchObject({ gaps: [], coverage: 1 });
    // The rows came back across the thread, on the main thread's time axis (1-based seconds).
    expect(sampler.rowServices()).toEqual(["pasukuru"]);
    expect([...sampler.rows("pasukuru").keys()][0]).toBe(1);
    expect(sampler.live().get("pasukuru")).toEqual({ inUse: 2, waiting: 0 });
  });

  it("a /metrics slow to answer delays only its own samples, not another service's nor pg_stat_activity's", async () => {
    await fast.set({ stallMs: 0 });
    await slow.set({ stallMs: 2_600 });
    try {
      const sampler = await sampling([source("pasukuru", fast), source("curva", slow)], MONITORING);
      await sleep(3_000);
      const { pools, database } = await sampler.stop();
      const byService = Object.fromEntries(pools.map((p) => [p.service, p]));
      expect(byService.pasukuru).toMatchObject({ gaps: [], coverage: 1 });
      expect(database).toMatchObject({ gaps: [], coverage: 1 });
      // The slow one has no evidence of its own: never read, each scrape past its bound.
      expect(byService.curva?.samples).toBe(0);
      expect(byService.curva?.failedScrapes).toBeGreaterThan(0);
      expect(poolVerdict(byService.curva as PoolResult).status).toBe("error");
    } finally {
      await slow.set({ stallMs: 0 });
    }
  });

  it("a stall mid-run hides no checkout from counters read before and after: slow checkouts in the gap fail the pool", async () => {
    const pool = await stalledMidRun(3);
    expect(pool.coverage).toBeLessThan(0.9);
    expect(pool).toMatchObject({ countedThroughout: true, slowCheckouts: 3, exhausted: 3 });
    expect(poolVerdict(pool)).toMatchObject({ status: "failed", observed: 3 });
  });

  it("the same stall with no slow checkout passes: the counters say none waited, whatever the gauges missed", async () => {
    const pool = await stalledMidRun(0);
    expect(pool.coverage).toBeLessThan(0.9);
    expect(pool.countedThroughout).toBe(true);
    expect(poolVerdict(pool)).toMatchObject({ status: "passed", observed: 0 });
  });

  it("without a read before the load the counters prove nothing: a stalled start is no evidence", async () => {
    await fast.set({ stallMs: 2_600, slowCheckouts: 0 });
    try {
      const sampler = await sampling([source("pasukuru", fast)]);
      await sleep(200);
      await fast.set({ stallMs: 0 });
      await sleep(2_600);
      const { pools } = await sampler.stop();
      const pool = pools[0] as PoolResult;
      expect(pool.countedThroughout).toBeUndefined();
      expect(pool.samples).toBeGreaterThan(0);
      expect(pool.coverage).toBeLessThan(0.9);
      expect(poolVerdict(pool)).toMatchObject({ status: "error", observed: null });
    } finally {
      await fast.set({ stallMs: 0 });
    }
  });

  it("an unreachable monitoring database fails the start as a dependency (exit 3), across the thread", async () => {
    const sampler = await PoolSamplerThread.boot({
      sources: [],
      monitoringDatabaseUrl: "postgres://postgres@127.0.0.1:1/postgres",
      services: ["pasukuru"],
    });
    await expect(sampler.start(performance.now())).rejects.toMatchObject({
      name: "DependencyUnreachableError",
      outcome: "targetUnreachable",
    });
  });
});
