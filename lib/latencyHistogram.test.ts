import { describe, expect, it } from "vitest";
import { LATENCY_HISTOGRAM, LatencyRecorder } from "./latencyHistogram.ts";

/** A deterministic, long-tailed sample set in µs (no Math.random: the test never changes). */
function samples(n: number): number[] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, () => {
    const u = next();
    // Most requests near 2 ms, a tail to seconds.
    return Math.round(500 + 2_000 * (-Math.log(1 - u * 0.999)) ** 2);
  });
}

const PERCENTILES = [0, 1, 10, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

describe("latency histograms add exactly", () => {
  it("two recorders of halves of a sample set, added, give exactly one recorder's percentiles of all of it", () => {
    const all = samples(200_000);
    const whole = new LatencyRecorder();
    const first = new LatencyRecorder();
    const second = new LatencyRecorder();
    try {
      for (const [i, us] of all.entries()) {
        whole.record(us);
        (i % 2 === 0 ? first : second).record(us);
      }
      first.add(second);
      for (const p of PERCENTILES)
        expect(first.percentileUs(p), `p${p}`).toBe(whole.percentileUs(p));
      expect([first.count, first.sumUs, first.minUs, first.maxUs]).toEqual([
        all.length,
        all.reduce((s, v) => s + v, 0),
        all.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY),
        all.reduce((m, v) => Math.max(m, v), 0),
      ]);
      expect(first.meanUs()).toBe(whole.meanUs());
    } finally {
      for (const r of [whole, first, second]) r.destroy();
    }
  });

  it("encodes and decodes without losing a sample, and refuses another configuration version", () => {
    const r = new LatencyRecorder();
    const back = (() => {
      for (const us of samples(10_000)) r.record(us);
      return LatencyRecorder.decode(r.encode());
    })();
    try {
      for (const p of PERCENTILES) expect(back.percentileUs(p)).toBe(r.percentileUs(p));
      expect(back.encode()).toEqual(r.encode());
      expect(() =>
        LatencyRecorder.decode({ ...r.encode(), version: LATENCY_HISTOGRAM.version + 1 }),
      ).toThrow(/version/);
    } finally {
      r.destroy();
      back.destroy();
    }
  });

  it("records integer microseconds: sub-µs rounds, nothing is 0, nothing passes the ceiling", () => {
    const r = new LatencyRecorder();
    try {
      r.record(0.2);
      r.record(1499.6);
      r.record(10 ** 12);
      expect([r.minUs, r.maxUs, r.count]).toEqual([1, LATENCY_HISTOGRAM.highestTrackableValue, 3]);
      expect(r.sumUs).toBe(1 + 1500 + LATENCY_HISTOGRAM.highestTrackableValue);
    } finally {
      r.destroy();
    }
  });
});
