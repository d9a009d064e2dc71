import {
  DEFAULT_EXPECTED_STATUSES,
  type ExpectedStatus,
  isExpectedStatus,
} from "../../../lib/expectedStatuses.ts";
import {
  LatencyRecorder,
  latencyFigures as latency,
  recordedUs,
} from "../../../lib/latencyHistogram.ts";
import {
  type EndpointResult,
  type LatencyFigures,
  noCounts,
  type SecondEndpoint,
  type SecondRow,
} from "../../../lib/result/scenarioResult.ts";

/** How one request ended. */
export type RequestOutcome =
  | { kind: "answered"; status: number }
  | { kind: "error"; timedOut: boolean };

export type EndpointFigures = EndpointResult & { endpoint: string };

export interface TallyFigures {
  endpoints: EndpointFigures[];
  /** Scheduled starts that could not happen (open model). */
  dropped: number;
  rows: SecondRow[];
}

const noSecond = (): SecondEndpoint => ({ requests: 0, status5xx: 0, errors: 0, overLimit: 0 });

/**
 * Every response time of a run, in HDR histograms (one per endpoint), with
 * status and error counts and one row a second. Memory stays flat however
 * long the run: histograms and rows, never a list of samples. A row holds
 * the requests that ended in that second, as k6's time series do.
 */
export class Tally {
  private readonly perEndpoint = new Map<
    string,
    {
      histogram: LatencyRecorder;
      counts: Omit<EndpointFigures, keyof LatencyFigures | "endpoint" | "latency">;
    }
  >();
  private readonly second = new LatencyRecorder();
  private current = { index: 0, status5xx: 0, errors: 0, dropped: 0 };
  /** This second's answers per endpoint; only where there is more than one endpoint to tell apart. */
  private readonly secondByEndpoint: Map<string, SecondEndpoint> | undefined;
  private readonly rows: SecondRow[] = [];
  private droppedTotal = 0;

  constructor(
    endpoints: readonly string[],
    /** `performance.now()` at the start of the measured window. */
    private readonly startMs: number,
    /** Each endpoint's expected statuses (http_req_failed); default every 2xx and 3xx. */
    private readonly expected: Partial<Record<string, readonly ExpectedStatus[]>> = {},
    /** Verification mode: every answer's latency as recorded (µs), to check a merge against raw samples. */
    private readonly onSample?: (endpoint: string, us: number) => void,
    /** Each endpoint's p95 limit (ms): a second's answers slower than it are counted (`overLimit`). */
    private readonly limitsMs: Readonly<Record<string, number>> = {},
  ) {
    for (const endpoint of endpoints) {
      this.perEndpoint.set(endpoint, {
        histogram: new LatencyRecorder(),
        counts: noCounts(),
      });
    }
    this.secondByEndpoint =
      endpoints.length > 1 ? new Map(endpoints.map((e) => [e, noSecond()])) : undefined;
  }

  private secondOf(atMs: number): number {
    return Math.max(0, Math.floor((atMs - this.startMs) / 1000));
  }

  /** Closes every whole second before `index`; rows are in order and none is skipped. */
  private advanceTo(index: number): void {
    while (this.current.index < index) {
      const figures = latency(this.second);
      this.rows.push({
        second: this.current.index + 1,
        requests: figures.requests,
        p50Ms: figures.p50Ms,
        p95Ms: figures.p95Ms,
        status5xx: this.current.status5xx,
        errors: this.current.errors,
        dropped: this.current.dropped,
        ...(this.secondByEndpoint ? { endpoints: Object.fromEntries(this.secondByEndpoint) } : {}),
      });
      if (this.secondByEndpoint)
        for (const endpoint of this.secondByEndpoint.keys())
          this.secondByEndpoint.set(endpoint, noSecond());
      this.second.reset();
      this.current = { index: this.current.index + 1, status5xx: 0, errors: 0, dropped: 0 };
    }
  }

  /**
   * A finished request. `latencyMs` is measured by the engine: from the
   * intended start in the open model, so time spent waiting to start counts.
   */
  record(endpoint: string, latencyMs: number, outcome: RequestOutcome): void {
    const slot = this.perEndpoint.get(endpoint);
    if (!slot) throw new Error(`no endpoint ${endpoint} in this tally`);
    this.advanceTo(this.secondOf(performance.now()));
    const second = this.secondByEndpoint?.get(endpoint);
    if (outcome.kind === "error") {
      slot.counts.errors++;
      if (outcome.timedOut) slot.counts.timeouts++;
      this.current.errors++;
      if (second) second.errors++;
      return;
    }
    if (second) {
      second.requests++;
      if (outcome.status >= 500) second.status5xx++;
      if (latencyMs > (this.limitsMs[endpoint] ?? Number.POSITIVE_INFINITY)) second.overLimit++;
    }
    if (!isExpectedStatus(this.expected[endpoint] ?? DEFAULT_EXPECTED_STATUSES, outcome.status))
      slot.counts.unexpected++;
    slot.histogram.record(latencyMs * 1000);
    this.onSample?.(endpoint, recordedUs(latencyMs * 1000));
    this.second.record(latencyMs * 1000);
    if (outcome.status >= 500) {
      slot.counts.status5xx++;
      this.current.status5xx++;
    } else if (outcome.status >= 400) slot.counts.status4xx++;
    else if (outcome.status >= 200 && outcome.status < 300) slot.counts.status2xx++;
  }

  /** A scheduled start that could not happen (too many requests still open). */
  dropped(): void {
    this.advanceTo(this.secondOf(performance.now()));
    this.droppedTotal++;
    this.current.dropped++;
  }

  /** Closes the rows up to `nowMs` (call once a second, so quiet seconds are rows too). */
  tick(nowMs: number = performance.now()): void {
    this.advanceTo(this.secondOf(nowMs));
  }

  /** The figures so far; the last (partial) second is closed first. */
  figures(endMs: number = performance.now()): TallyFigures {
    this.advanceTo(Math.ceil((endMs - this.startMs) / 1000));
    return {
      endpoints: [...this.perEndpoint].map(([endpoint, { histogram: h, counts }]) => ({
        endpoint,
        ...latency(h),
        ...counts,
        latency: h.encode(),
      })),
      dropped: this.droppedTotal,
      rows: [...this.rows],
    };
  }

  /** Answered requests of one endpoint so far. */
  answered(endpoint: string): number {
    return this.perEndpoint.get(endpoint)?.histogram.count ?? 0;
  }

  /** Any percentile of one endpoint's response times, in ms (thresholds may ask for p(99.9)). */
  percentileMs(endpoint: string, p: number): number {
    const h = this.perEndpoint.get(endpoint)?.histogram;
    return h ? h.percentileUs(p) / 1000 : 0;
  }

  /** p95 and requests so far across endpoints, for the live progress line. */
  live(): { requests: number; p95Ms: number; status5xx: number; errors: number } {
    let requests = 0;
    let p95Ms = 0;
    let status5xx = 0;
    let errors = 0;
    for (const { histogram: h, counts } of this.perEndpoint.values()) {
      requests += h.count + counts.errors;
      p95Ms = Math.max(p95Ms, latency(h).p95Ms);
      status5xx += counts.status5xx;
      errors += counts.errors;
    }
    return { requests, p95Ms, status5xx, errors };
  }

  destroy(): void {
    for (const { histogram: h } of this.perEndpoint.values()) h.destroy();
    this.second.destroy();
  }
}
