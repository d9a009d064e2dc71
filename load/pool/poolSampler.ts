import type { Agent } from "undici";
import type { ServiceName } from "../../lib/config/targetProfile.ts";
import { httpJson } from "../../lib/drivers/httpJson.ts";
import { withinBound } from "../../lib/drivers/withinBound.ts";
import type { DatabaseResult, PoolResult } from "../../lib/result/scenarioResult.ts";
import { POOL_WAIT_GRACE_MS } from "../scenarios/scenarios.ts";
import { type ApplicationPool, DatabaseSampler } from "./databaseSampler.ts";
import { bucketValue, gaugeValue, type PoolSource } from "./poolGauges.ts";
import { SampleCoverage } from "./sampleCoverage.ts";
import { SAMPLE_BOUND_MS, type SampleLoop, sampleLoop } from "./sampleLoop.ts";
import { recordSaturation } from "./saturation.ts";

export type PoolFigures = PoolResult & { service: ServiceName };

export interface PoolSample {
  inUse: number;
  waiting: number;
}

/** The grace as a Prometheus bucket bound: 1000 ms is le="1". */
const GRACE_LE = String(POOL_WAIT_GRACE_MS / 1000);

/**
 * Samples each service's pool while a scenario runs (5 a second) and, with
 * a monitoring database URL, pg_stat_activity per application_name against
 * max_connections (and, for a service with no pool gauges, its
 * application's connections against its pool size). Pool exhaustion is
 * measured, not guessed: a checkout that timed out, or the pool at max with
 * callers waiting for longer than POOL_WAIT_GRACE_MS, or Postgres refusing
 * connections. What a sampler did not see is kept too (coverage and gaps),
 * so a threshold is never passed on a silence.
 */
export class PoolSampler {
  private readonly pools = new Map<
    ServiceName,
    PoolFigures & {
      timeoutsAtStart?: number;
      slowAtStart?: number;
      saturatedSince?: number;
      counted: boolean;
      seen: SampleCoverage;
      /** The read before the load held the counters (checkout timeouts, the wait histogram) seen later. */
      baselineBeforeLoad?: boolean;
      /** The last scrape answered: the read after the load. */
      lastOk: boolean;
    }
  >();
  private readonly latest = new Map<ServiceName, PoolSample>();
  private readonly perSecond = new Map<ServiceName, Map<number, PoolSample>>();
  private readonly database: DatabaseSampler | undefined;
  private loops: SampleLoop[] = [];

  constructor(
    private readonly options: {
      sources: readonly PoolSource[];
      agent: Agent;
      /** `performance.now()` the per-second rows count from (the tally's start). */
      startMs: number;
      monitoringDatabaseUrl?: string;
      /** Services judged by pg_stat_activity (no pool gauges): their application_name and pool size. */
      applications?: Partial<Record<ServiceName, ApplicationPool>>;
      /** Every service whose pool is judged. */
      services: readonly ServiceName[];
      /** Called after each scrape that read a pool (the live progress line). */
      onSample?: (service: ServiceName, sample: PoolSample) => void;
    },
  ) {
    for (const source of options.sources) {
      this.pools.set(source.service, {
        service: source.service,
        max: null,
        maxInUse: 0,
        // Null until a scrape shows the waiting gauge: absent is not "none waited".
        maxWaiting: null,
        checkoutTimeouts: 0,
        saturatedOverGrace: 0,
        longestSaturationMs: 0,
        slowCheckouts: null,
        exhaustedBy: "saturation",
        samples: 0,
        failedScrapes: 0,
        exhausted: 0,
        coverage: 0,
        gaps: [],
        counted: false,
        seen: new SampleCoverage(options.startMs),
        lastOk: false,
      });
      this.perSecond.set(source.service, new Map());
    }
    if (options.monitoringDatabaseUrl) {
      // A service with gauges is judged by them; pg_stat_activity judges only the others.
      const others = Object.fromEntries(
        options.services
          .filter((service) => !this.pools.has(service))
          .map((service) => [service, options.applications?.[service]]),
      );
      this.database = new DatabaseSampler(options.monitoringDatabaseUrl, options.startMs, others);
    }
  }

  /**
   * Connects, reads every source once before the load (the counters'
   * baseline), then samples each source on its own loop: a /metrics slow to
   * answer under the load never delays pg_stat_activity or another service.
   */
  async start(): Promise<void> {
    await this.database?.start();
    const database = this.database;
    const steps = [
      ...this.options.sources.map((source) => () => this.scrape(source, performance.now())),
      ...(database ? [() => database.sample(performance.now())] : []),
    ];
    // Each source's loop starts as soon as its own first read is back.
    this.loops = await Promise.all(
      steps.map(async (step) => {
        await withinBound(step, SAMPLE_BOUND_MS, "pool sample").catch(() => {});
        return sampleLoop(step);
      }),
    );
    for (const pool of this.pools.values()) pool.baselineBeforeLoad ??= pool.samples > 0;
  }

  private async scrape(source: PoolSource, now: number): Promise<void> {
    const pool = this.pools.get(source.service);
    if (!pool) return;
    let text: string;
    try {
      const response = await httpJson(this.options.agent, {
        method: "GET",
        url: source.metricsUrl,
        ...(source.headers ? { headers: source.headers } : {}),
        timeoutMs: 2_000,
      });
      if (response.status !== 200 || typeof response.body !== "string") throw new Error();
      text = response.body;
    } catch {
      pool.failedScrapes++;
      pool.lastOk = false;
      return;
    }
    const g = source.gauges;
    const total = gaugeValue(text, g.total);
    const idle = gaugeValue(text, g.idle);
    const waitingGauge = gaugeValue(text, g.waiting);
    const waiting = waitingGauge ?? 0;
    const max = gaugeValue(text, g.max);
    const timeouts = gaugeValue(text, g.checkoutTimeouts);
    if (total === undefined || idle === undefined) {
      pool.failedScrapes++;
      pool.lastOk = false;
      return;
    }
    pool.lastOk = true;
    pool.seen.ok(performance.now());
    const inUse = total - idle;
    pool.samples++;
    if (max !== undefined) pool.max = max;
    pool.maxInUse = Math.max(pool.maxInUse, inUse);
    if (waitingGauge !== undefined) pool.maxWaiting = Math.max(pool.maxWaiting ?? 0, waitingGauge);
    // A counter absent is 0 from the start: one that appears later counts from 0, not from its first read.
    pool.timeoutsAtStart ??= timeouts ?? 0;
    pool.checkoutTimeouts = (timeouts ?? 0) - pool.timeoutsAtStart;
    recordSaturation(pool, max !== undefined && inUse >= max && waiting > 0, now);
    // Checkouts that waited longer than the grace: the wait histogram's count less its bucket at the grace.
    const waited = gaugeValue(text, `${g.checkoutWait}_count`);
    const withinGrace = bucketValue(text, g.checkoutWait, GRACE_LE);
    if (waited !== undefined && withinGrace !== undefined) {
      const slow = waited - withinGrace;
      // A histogram first read after the baseline counts from that read: what came before is not seen.
      if (pool.slowAtStart === undefined && pool.samples > 1) pool.baselineBeforeLoad = false;
      pool.slowAtStart ??= slow;
      pool.slowCheckouts = slow - pool.slowAtStart;
      pool.exhaustedBy = "waitHistogram";
    }
    pool.exhausted =
      (pool.checkoutTimeouts ?? 0) +
      (pool.exhaustedBy === "waitHistogram" ? (pool.slowCheckouts ?? 0) : pool.saturatedOverGrace);
    const sample = { inUse, waiting };
    this.latest.set(source.service, sample);
    this.options.onSample?.(source.service, sample);
    const second = Math.max(1, Math.ceil((now - this.options.startMs) / 1000));
    const rows = this.perSecond.get(source.service);
    const previous = rows?.get(second);
    rows?.set(second, {
      inUse: Math.max(previous?.inUse ?? 0, inUse),
      waiting: Math.max(previous?.waiting ?? 0, waiting),
    });
  }

  /** The latest sample per service, for the live progress line. */
  live(): ReadonlyMap<ServiceName, PoolSample> {
    return this.latest;
  }

  /**
   * Max in use and waiting per service and second, 1-based like the tally's
   * rows; for a service seen through pg_stat_activity, in use only.
   */
  rows(service: ServiceName): ReadonlyMap<number, { inUse: number; waiting?: number }> {
    const scraped = this.perSecond.get(service);
    if (scraped) return scraped;
    const byActivity = this.database?.rows(service);
    return new Map([...(byActivity ?? [])].map(([second, inUse]) => [second, { inUse }]));
  }

  /** Every service with per-second rows (scraped, or seen through pg_stat_activity). */
  rowServices(): ServiceName[] {
    return this.options.services.filter(
      (s) => this.perSecond.has(s) || this.database?.rows(s) !== undefined,
    );
  }

  /** The load has ended: each source's loop stops and reads once more (the read after the load). */
  async stop(): Promise<{ pools: PoolFigures[]; database?: DatabaseResult }> {
    const endMs = performance.now();
    await Promise.all(
      this.loops.map(async (l) => {
        await l.stop();
        await withinBound(l.step, SAMPLE_BOUND_MS, "pool sample").catch(() => {});
      }),
    );
    this.loops = [];
    const pools = [...this.pools.values()].map(
      ({
        timeoutsAtStart: _t,
        slowAtStart: _w,
        saturatedSince: _s,
        counted: _c,
        seen,
        baselineBeforeLoad,
        lastOk,
        ...figures
      }): PoolFigures => ({
        ...figures,
        ...seen.finish(endMs),
        // Counters read before and after the load saw every checkout between: a gap hides none of them.
        ...(figures.exhaustedBy === "waitHistogram" && baselineBeforeLoad && lastOk
          ? { countedThroughout: true }
          : {}),
      }),
    );
    if (!this.database) return { pools };
    const { database, pools: byActivity } = await this.database.stop(endMs);
    return {
      pools: [...pools, ...byActivity.map((p) => ({ ...p, service: p.service as ServiceName }))],
      database,
    };
  }
}
