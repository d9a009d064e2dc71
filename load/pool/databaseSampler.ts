import pg from "pg";
import type { ServiceName } from "../../lib/config/targetProfile.ts";
import { asDependencyFailure } from "../../lib/drivers/dependencyFailure.ts";
import { withinBound } from "../../lib/drivers/withinBound.ts";
import type { DatabaseResult, PoolResult, SampleGap } from "../../lib/result/scenarioResult.ts";
import { POOL_WAIT_GRACE_MS } from "../scenarios/scenarios.ts";
import { SampleCoverage } from "./sampleCoverage.ts";
import { recordSaturation, type Saturation } from "./saturation.ts";

/** A service's connections as pg_stat_activity shows them: its pool's application_name and size. */
export interface ApplicationPool {
  /** The pool's `application_name`; a trailing `*` matches every name with that prefix. */
  applicationName: string;
  /** The pool's configured maximum. */
  poolSize: number;
}

const CONNECT_MS = 3_000;
const QUERY_MS = 2_000;

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

interface AppState extends Saturation {
  service: ServiceName;
  /** Undefined: no application mapped, only Postgres at its limit says anything of this pool. */
  pool: ApplicationPool | undefined;
  peak: number;
  samples: number;
  /** The stretch at its size now (ms on the sampler's clock), and those past the grace. */
  stretch?: { fromMs: number };
  stretches: SampleGap[];
  /** Max in use per second, 1-based like the tally's rows. */
  perSecond: Map<number, number>;
}

/**
 * Postgres as a whole while a scenario runs, from pg_stat_activity: client
 * connections per application_name against max_connections, and, for
 * services that expose no pool gauges, each one's connections against its
 * configured pool size. A failed sample drops the connection and the next
 * one opens a new one (bounded): a blip is a gap in the evidence, reported,
 * not the end of sampling.
 */
export class DatabaseSampler {
  private client: pg.Client | undefined;
  private usable = 0;
  private readonly figures = {
    peakConnections: 0,
    peakByApplication: {} as Record<string, number>,
    atLimitSamples: 0,
    samples: 0,
    failedSamples: 0,
    reconnects: 0,
  };
  private readonly coverage: SampleCoverage;
  private readonly apps: AppState[];

  constructor(
    private readonly url: string,
    private readonly startMs: number,
    /**
     * The services it judges (those without pool gauges), each with its
     * application's pool if the profile maps one; an unmapped one is judged
     * by Postgres at max_connections alone.
     */
    services: Partial<Record<ServiceName, ApplicationPool | undefined>> = {},
  ) {
    this.coverage = new SampleCoverage(startMs);
    this.apps = (Object.entries(services) as [ServiceName, ApplicationPool | undefined][]).map(
      ([service, pool]) => ({
        service,
        pool,
        peak: 0,
        samples: 0,
        counted: false,
        saturatedOverGrace: 0,
        longestSaturationMs: 0,
        stretches: [],
        perSecond: new Map(),
      }),
    );
  }

  /** Connects and reads max_connections; an unreachable database is a DependencyUnreachableError. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      throw asDependencyFailure(error, "Postgres (monitoring)", this.url);
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: "harness-pool-sampler",
      connectionTimeoutMillis: CONNECT_MS,
      query_timeout: QUERY_MS,
    });
    client.on("error", () => {});
    try {
      const { rows } = await withinBound(
        async () => {
          await client.connect();
          return client.query<{ max: string; reserved: string }>(
            "SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS reserved",
          );
        },
        CONNECT_MS + QUERY_MS,
        "monitoring database",
      );
      this.usable = Number(rows[0]?.max ?? 0) - Number(rows[0]?.reserved ?? 0);
      this.client = client;
      return client;
    } catch (error) {
      void withinBound(client.end(), 1_000, "end").catch(() => {});
      throw error;
    }
  }

  /** One sample; on failure the connection is dropped and the next sample reconnects. */
  async sample(now: number): Promise<void> {
    try {
      let client = this.client;
      if (!client) {
        client = await this.connect();
        this.figures.reconnects++;
      }
      const { rows } = await withinBound(
        client.query<{ application_name: string; n: number }>(
          "SELECT application_name, count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1",
        ),
        QUERY_MS + 500,
        "pg_stat_activity",
      );
      this.record(rows, now);
    } catch {
      this.figures.failedSamples++;
      const broken = this.client;
      this.client = undefined;
      if (broken) void withinBound(broken.end(), 1_000, "end").catch(() => {});
    }
  }

  private record(rows: readonly { application_name: string; n: number }[], now: number): void {
    const f = this.figures;
    f.samples++;
    this.coverage.ok(now);
    const total = rows.reduce((sum, r) => sum + r.n, 0);
    f.peakConnections = Math.max(f.peakConnections, total);
    for (const row of rows) {
      const name = row.application_name || "(unnamed)";
      f.peakByApplication[name] = Math.max(f.peakByApplication[name] ?? 0, row.n);
    }
    if (total >= this.usable) f.atLimitSamples++;
    for (const app of this.apps) {
      app.samples++;
      const pool = app.pool;
      if (!pool) continue;
      const inUse = rows
        .filter((r) => matches(pool.applicationName, r.application_name))
        .reduce((sum, r) => sum + r.n, 0);
      app.peak = Math.max(app.peak, inUse);
      const second = Math.max(1, Math.ceil((now - this.startMs) / 1000));
      app.perSecond.set(second, Math.max(app.perSecond.get(second) ?? 0, inUse));
      const atSize = inUse >= pool.poolSize;
      recordSaturation(app, atSize, now);
      if (atSize) app.stretch ??= { fromMs: now };
      else this.closeStretch(app, now);
    }
  }

  /** Ends the app's stretch at its size at `now`; one past the grace is kept. */
  private closeStretch(app: AppState, now: number): void {
    const stretch = app.stretch;
    app.stretch = undefined;
    if (stretch && now - stretch.fromMs > POOL_WAIT_GRACE_MS)
      app.stretches.push({
        fromMs: Math.round(stretch.fromMs - this.startMs),
        toMs: Math.round(now - this.startMs),
      });
  }

  /** Max in use per second of a service judged here (no waiting: pg_stat_activity does not show it). */
  rows(service: ServiceName): ReadonlyMap<number, number> | undefined {
    return this.apps.find((a) => a.service === service && a.pool)?.perSecond;
  }

  /** The figures, and a pool per service judged by pg_stat_activity; closes the connection. */
  async stop(endMs: number): Promise<{ database: DatabaseResult; pools: PoolResult[] }> {
    const client = this.client;
    this.client = undefined;
    if (client) await withinBound(client.end(), 1_000, "end").catch(() => {});
    const { coverage, gaps } = this.coverage.finish(endMs);
    for (const app of this.apps) this.closeStretch(app, endMs);
    const pools = this.apps.map(
      (app): PoolResult => ({
        service: app.service,
        max: app.pool?.poolSize ?? null,
        maxInUse: app.peak,
        // pg_stat_activity shows connections, not callers waiting for one nor checkouts that timed out.
        maxWaiting: null,
        checkoutTimeouts: null,
        saturatedOverGrace: app.saturatedOverGrace,
        longestSaturationMs: Math.round(app.longestSaturationMs),
        slowCheckouts: null,
        exhaustedBy: "pgStatActivity",
        samples: app.samples,
        failedScrapes: this.figures.failedSamples,
        // Judged with the answers of the same seconds (scenarioParts.ts): at its size is not yet waiting.
        exhausted: 0,
        saturated: app.stretches,
        coverage,
        gaps,
      }),
    );
    return {
      database: { usableConnections: this.usable, ...this.figures, coverage, gaps },
      pools,
    };
  }
}
