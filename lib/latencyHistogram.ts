import * as hdr from "hdr-histogram-js";
import type { EndpointResult, LatencyFigures } from "./result/scenarioResult.ts";

/*
 * Latency recorded exactly and mergeably: every engine records into this
 * one histogram configuration (integer microseconds, 3 significant digits,
 * the JS histogram, not the WebAssembly one), versioned, so histograms from
 * several processes or runners add up exactly: the percentiles of the sum
 * are those of one histogram of every sample. Exact count, sum, min and max
 * travel beside the histogram (its own mean and max are bucket-rounded).
 */

/** The one configuration; a change to any value is a new version (histograms of two versions never add). */
export const LATENCY_HISTOGRAM = {
  version: 1,
  unit: "µs",
  lowestDiscernibleValue: 1,
  /** Two minutes: far past any request timeout. */
  highestTrackableValue: 120_000_000,
  numberOfSignificantValueDigits: 3,
  bitBucketSize: 32,
  useWebAssembly: false,
} as const;

/** A recorder's figures as a result reports them (ms): percentiles from the histogram, max and mean exact. */
export function latencyFigures(r: LatencyRecorder): LatencyFigures {
  const ms = (p: number) => r.percentileUs(p) / 1000;
  return {
    requests: r.count,
    p50Ms: ms(50),
    p90Ms: ms(90),
    p95Ms: ms(95),
    p99Ms: ms(99),
    // Exact, not bucket-rounded: the recorder keeps max and sum beside its histogram.
    maxMs: r.maxUs / 1000,
    meanMs: r.meanUs() / 1000,
  };
}

/**
 * The width, in ms, of the histogram bucket that holds `valueMs`: the
 * resolution a percentile near that value is exact to (at 3 significant
 * digits, about a thousandth of it). A value within one bucket of its limit
 * is borderline.
 */
export function latencyBucketMs(valueMs: number): number {
  const us = recordedUs(valueMs * 1000);
  // The JS histogram (the configuration's) has it; the interface does not declare it.
  scratch ??= build() as unknown as hdr.JsHistogram;
  return scratch.sizeOfEquivalentValueRange(us) / 1000;
}
let scratch: hdr.JsHistogram | undefined;

/** A recorder as data (summary.json, a runner's shard): the histogram compressed, base64. */
export type EncodedLatency = NonNullable<EndpointResult["latency"]>;

function build(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: LATENCY_HISTOGRAM.lowestDiscernibleValue,
    highestTrackableValue: LATENCY_HISTOGRAM.highestTrackableValue,
    numberOfSignificantValueDigits: LATENCY_HISTOGRAM.numberOfSignificantValueDigits,
    bitBucketSize: LATENCY_HISTOGRAM.bitBucketSize,
    useWebAssembly: LATENCY_HISTOGRAM.useWebAssembly,
    autoResize: false,
  });
}

/** The value a latency is recorded as: integer µs, at least 1, at most the configuration's ceiling. */
export function recordedUs(us: number): number {
  return Math.min(
    LATENCY_HISTOGRAM.highestTrackableValue,
    Math.max(LATENCY_HISTOGRAM.lowestDiscernibleValue, Math.round(us)),
  );
}

/** One endpoint's latencies: a histogram of the fixed configuration, with exact count, sum, min and max. */
export class LatencyRecorder {
  readonly histogram = build();
  count = 0;
  sumUs = 0;
  minUs = Number.POSITIVE_INFINITY;
  maxUs = 0;

  /** One latency in microseconds: rounded to an integer, at least 1, at most the configuration's ceiling. */
  record(us: number): void {
    const value = recordedUs(us);
    this.histogram.recordValue(value);
    this.count++;
    this.sumUs += value;
    if (value < this.minUs) this.minUs = value;
    if (value > this.maxUs) this.maxUs = value;
  }

  /** Adds another recorder's samples, exactly. */
  add(other: LatencyRecorder): void {
    this.histogram.add(other.histogram);
    this.count += other.count;
    this.sumUs += other.sumUs;
    this.minUs = Math.min(this.minUs, other.minUs);
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  /** The value at percentile `p` (0–100) in microseconds; 0 with no samples. */
  percentileUs(p: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(p);
  }

  meanUs(): number {
    return this.count === 0 ? 0 : this.sumUs / this.count;
  }

  reset(): void {
    this.histogram.reset();
    this.count = 0;
    this.sumUs = 0;
    this.minUs = Number.POSITIVE_INFINITY;
    this.maxUs = 0;
  }

  encode(): EncodedLatency {
    return {
      version: LATENCY_HISTOGRAM.version,
      unit: "µs",
      count: this.count,
      sumUs: this.sumUs,
      minUs: this.count === 0 ? 0 : this.minUs,
      maxUs: this.maxUs,
      histogram: hdr.encodeIntoCompressedBase64(this.histogram),
    };
  }

  /** A recorder from its data; one of another configuration version is refused (it would not add exactly). */
  static decode(data: EncodedLatency): LatencyRecorder {
    if (data.version !== LATENCY_HISTOGRAM.version)
      throw new Error(
        `a latency histogram of configuration version ${data.version}, not ${LATENCY_HISTOGRAM.version}: histograms of different versions do not add exactly`,
      );
    const recorder = new LatencyRecorder();
    const decoded = hdr.decodeFromCompressedBase64(
      data.histogram,
      LATENCY_HISTOGRAM.bitBucketSize,
      LATENCY_HISTOGRAM.useWebAssembly,
    );
    try {
      recorder.histogram.add(decoded);
    } finally {
      decoded.destroy();
    }
    recorder.count = data.count;
    recorder.sumUs = data.sumUs;
    recorder.minUs = data.count === 0 ? Number.POSITIVE_INFINITY : data.minUs;
    recorder.maxUs = data.maxUs;
    return recorder;
  }

  destroy(): void {
    this.histogram.destroy();
  }
}
