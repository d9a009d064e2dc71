import { describe, expect, it } from "vitest";
import {
  type ExecutionSegment,
  equalSequence,
  type Fraction,
  k6SegmentArgs,
  parseSegment,
  SegmentStripe,
  segmentText,
} from "./executionSegment.ts";

/** A seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function stripes(sequence: Fraction[]): SegmentStripe[] {
  return sequence.slice(1).map((_, index) => new SegmentStripe({ sequence, index }));
}

/** Random ascending sequences from 0 to 1, with denominators up to 24. */
function randomSequences(count: number, seed: number): Fraction[][] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const d = 1 + Math.floor(next() * 24);
    const cuts = new Set<number>([0, d]);
    const extra = Math.floor(next() * Math.min(d, 8));
    for (let i = 0; i < extra; i++) cuts.add(Math.floor(next() * d));
    return [...cuts].sort((a, b) => a - b).map((n) => ({ n, d }));
  });
}

describe("segment arithmetic", () => {
  const sequences = [...[1, 2, 3, 4, 5, 7, 8].map(equalSequence), ...randomSequences(60, 19)];

  it("shares of any count add up to the whole, each within one of its fraction", () => {
    for (const sequence of sequences) {
      const all = stripes(sequence);
      for (const n of [0, 1, 2, 3, 7, 10, 99, 100, 101, 1000, 12_345]) {
        const shares = all.map((s) => s.countBelow(n));
        expect(shares.reduce((a, b) => a + b, 0)).toBe(n);
        for (const [k, share] of shares.entries()) {
          const from = sequence[k] as Fraction;
          const to = sequence[k + 1] as Fraction;
          const exact = n * (to.n / to.d - from.n / from.d);
          expect(Math.abs(share - exact)).toBeLessThan(1 + 1e-9);
        }
      }
    }
  });

  it("owned indices are disjoint and cover everything, and nth enumerates them in order", () => {
    for (const sequence of sequences) {
      const all = stripes(sequence);
      const total = 3 * (all[0]?.cycle ?? 1) + 5;
      const owners = new Array<number>(total).fill(0);
      for (const s of all) {
        const count = s.countBelow(total);
        let previous = -1;
        for (let m = 0; m < count; m++) {
          const i = s.nth(m);
          expect(i).toBeGreaterThan(previous);
          expect(i).toBeLessThan(total);
          expect(s.owns(i)).toBe(true);
          owners[i] = (owners[i] as number) + 1;
          previous = i;
        }
        expect(s.countBelow(total)).toBe(owners.filter((_, i) => s.owns(i)).length);
      }
      expect(owners.every((o) => o === 1)).toBe(true);
    }
  });

  it("an equal split stripes round-robin: runner i of N owns i-1, i-1+N, …", () => {
    const s = new SegmentStripe({ sequence: equalSequence(3), index: 1 });
    expect([0, 1, 2, 3].map((m) => s.nth(m))).toEqual([1, 4, 7, 10]);
  });
});

describe("parseSegment", () => {
  const ok = (text: string, sequence?: string): ExecutionSegment => {
    const parsed = parseSegment(text, sequence);
    if ("problem" in parsed) throw new Error(parsed.problem);
    return parsed.segment;
  };

  it("reads i/N as the i-th of N equal segments, as k6's a:b of an equal sequence", () => {
    const segment = ok("2/4");
    expect(k6SegmentArgs(segment)).toEqual({ segment: "1/4:1/2", sequence: "0,1/4,1/2,3/4,1" });
    expect(segmentText(segment)).toBe("2/4 (1/4:1/2 of 0,1/4,1/2,3/4,1)");
  });

  it("reads a:b of a sequence, in fractions, percentages or decimals", () => {
    const segment = ok("25%:0.5", "0,1/4,1/2,1");
    expect(segment.index).toBe(1);
    expect(k6SegmentArgs(segment).sequence).toBe("0,1/4,1/2,1");
    // Without a sequence, as k6: 0, a, b, 1.
    expect(k6SegmentArgs(ok("1/3:2/3")).sequence).toBe("0,1/3,2/3,1");
    expect(k6SegmentArgs(ok("0:1/2")).sequence).toBe("0,1/2,1");
  });

  it("names what is wrong", () => {
    const problem = (text: string, sequence?: string) => {
      const parsed = parseSegment(text, sequence);
      return "problem" in parsed ? parsed.problem : "";
    };
    expect(problem("5/4")).toMatch(/1 ≤ i ≤ N/);
    expect(problem("0/4")).toMatch(/1 ≤ i ≤ N/);
    expect(problem("1/2:1/4")).toMatch(/a < b/);
    expect(problem("x")).toMatch(/not a segment/);
    expect(problem("1/4:1/2", "0,1/2,1/4,1")).toMatch(/ascend/);
    expect(problem("1/4:3/4", "0,1/4,1/2,3/4,1")).toMatch(/neighbouring cuts/);
    expect(problem("1/99991:1/99989", "0,1/99991,1/99989,1")).toMatch(/common denominator/);
  });
});
