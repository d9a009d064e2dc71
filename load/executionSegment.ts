/*
 * Execution segments, with k6's meaning (its documented
 * --execution-segment and --execution-segment-sequence; written from the
 * documentation, not from k6's code): a sequence cuts the whole of a
 * scenario, [0, 1], at fractions; a segment is one of its parts, a:b. Every
 * numbered thing of the scenario (a user, the i-th start of an open model's
 * schedule) belongs to exactly one segment of the sequence, striped evenly
 * through the whole: the parts of the runners are disjoint, cover
 * everything, and each runner's share of any prefix is within one of its
 * fraction of it. So VU counts and iteration counts scaled by the segments
 * always add up to the whole, and the union of the runners' starts is the
 * single machine's schedule. Runtime-neutral.
 */

/** A fraction n/d in lowest terms, 0 ≤ n/d ≤ 1. */
export interface Fraction {
  n: number;
  d: number;
}

/** One segment of a sequence: from its `index`-th cut to the next. */
export interface ExecutionSegment {
  /** The cuts of the whole, ascending, from 0 to 1. */
  sequence: Fraction[];
  /** 0-based: the segment runs from sequence[index] to sequence[index + 1]. */
  index: number;
}

/** The longest a runner of a split run waits for the agreed start (one further off is a usage error). */
export const MAX_START_WAIT_MS = 3_600_000;

/** A striping cycle of more positions than this is refused (sequences with huge denominators). */
const MAX_CYCLE = 100_000;
/** At most this many runners. */
const MAX_SEGMENTS = 1_000;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function fraction(n: number, d: number): Fraction {
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

function fractionText(f: Fraction): string {
  return f.n === 0 ? "0" : f.n === f.d ? "1" : `${f.n}/${f.d}`;
}

function compare(a: Fraction, b: Fraction): number {
  return a.n * b.d - b.n * a.d;
}

/** "1/4", "25%", "0.25", "0", "1" → a fraction in [0, 1]; undefined otherwise. */
function parseFraction(text: string): Fraction | undefined {
  const t = text.trim();
  let f: Fraction | undefined;
  const ratio = /^(\d{1,6})\/(\d{1,6})$/.exec(t);
  const percent = /^(\d{1,3})(?:\.(\d{1,4}))?%$/.exec(t);
  const decimal = /^(\d)(?:\.(\d{1,6}))?$/.exec(t);
  if (ratio) {
    const d = Number(ratio[2]);
    if (d > 0) f = fraction(Number(ratio[1]), d);
  } else if (percent) {
    const places = percent[2] ?? "";
    const d = 100 * 10 ** places.length;
    f = fraction(Number(percent[1]) * 10 ** places.length + Number(places || 0), d);
  } else if (decimal) {
    const places = decimal[2] ?? "";
    const d = 10 ** places.length;
    f = fraction(Number(decimal[1]) * d + Number(places || 0), d);
  }
  return f && f.n <= f.d ? f : undefined;
}

/** The equal N-way sequence 0, 1/N, …, 1. */
export function equalSequence(count: number): Fraction[] {
  return Array.from({ length: count + 1 }, (_, i) => fraction(i, count));
}

function sequenceText(sequence: readonly Fraction[]): string {
  return sequence.map(fractionText).join(",");
}

/** The segment as k6 takes it: `--execution-segment` and `--execution-segment-sequence` values. */
export function k6SegmentArgs(segment: ExecutionSegment): { segment: string; sequence: string } {
  const from = segment.sequence[segment.index] as Fraction;
  const to = segment.sequence[segment.index + 1] as Fraction;
  return {
    segment: `${fractionText(from)}:${fractionText(to)}`,
    sequence: sequenceText(segment.sequence),
  };
}

/** "2/4 (1/4:1/2 of 0,1/4,1/2,3/4,1)": which part, and of what. */
export function segmentText(segment: ExecutionSegment): string {
  const { segment: part, sequence } = k6SegmentArgs(segment);
  return `${segment.index + 1}/${segment.sequence.length - 1} (${part} of ${sequence})`;
}

/**
 * `--segment` and `--segment-sequence`: "i/N" is the i-th (1-based) of N
 * equal segments (so "2/4" is k6's 1/4:2/4 of 0,1/4,2/4,3/4,1); "a:b" is a
 * segment of the sequence given (default 0,a,b,1, as k6 takes a segment
 * without one). Fractions are n/d, percentages or decimals.
 */
export function parseSegment(
  text: string,
  sequenceText?: string,
): { segment: ExecutionSegment } | { problem: string } {
  const usage =
    'Use i/N (the i-th of N equal segments, e.g. 2/4), or a:b with --segment-sequence (e.g. --segment 1/4:1/2 --segment-sequence "0,1/4,1/2,1").';
  const equal = /^\s*(\d{1,4})\/(\d{1,4})\s*$/.exec(text);
  if (equal && sequenceText === undefined) {
    const i = Number(equal[1]);
    const n = Number(equal[2]);
    if (n < 1 || n > MAX_SEGMENTS || i < 1 || i > n)
      return {
        problem: `--segment "${text}": i/N needs 1 ≤ i ≤ N ≤ ${MAX_SEGMENTS}. ${usage}`,
      };
    return { segment: { sequence: equalSequence(n), index: i - 1 } };
  }
  const parts = text.split(":");
  const from = parts.length === 2 ? parseFraction(parts[0] as string) : undefined;
  const to = parts.length === 2 ? parseFraction(parts[1] as string) : undefined;
  if (!from || !to || compare(from, to) >= 0)
    return { problem: `--segment "${text}" is not a segment a:b with 0 ≤ a < b ≤ 1. ${usage}` };
  let sequence: Fraction[];
  if (sequenceText === undefined) {
    sequence = [fraction(0, 1), from, to, fraction(1, 1)].filter(
      (f, i, all) => i === 0 || compare(f, all[i - 1] as Fraction) !== 0,
    );
  } else {
    const cuts = sequenceText.split(",").map(parseFraction);
    if (cuts.some((c) => c === undefined))
      return {
        problem: `--segment-sequence "${sequenceText}" is not a list of fractions from 0 to 1. ${usage}`,
      };
    sequence = cuts as Fraction[];
    if (compare(sequence[0] as Fraction, { n: 0, d: 1 }) !== 0) sequence.unshift(fraction(0, 1));
    if (compare(sequence.at(-1) as Fraction, { n: 1, d: 1 }) !== 0) sequence.push(fraction(1, 1));
    if (sequence.some((c, i) => i > 0 && compare(c, sequence[i - 1] as Fraction) <= 0))
      return {
        problem: `--segment-sequence "${sequenceText}" must ascend strictly from 0 to 1. ${usage}`,
      };
  }
  if (sequence.length - 1 > MAX_SEGMENTS)
    return { problem: `--segment-sequence has more than ${MAX_SEGMENTS} segments.` };
  const index = sequence.findIndex((c) => compare(c, from) === 0);
  if (index === -1 || compare(sequence[index + 1] as Fraction, to) !== 0)
    return {
      problem: `--segment "${text}" is not one segment of the sequence ${sequence.map(fractionText).join(",")}: its ends must be neighbouring cuts.`,
    };
  const cycle = sequence.reduce((l, c) => (l * c.d) / gcd(l, c.d), 1);
  if (cycle > MAX_CYCLE)
    return {
      problem: `--segment-sequence: the cuts' common denominator is ${cycle}, over ${MAX_CYCLE}; use simpler fractions.`,
    };
  return { segment: { sequence, index } };
}

/**
 * Which numbered things one segment owns. Over a cycle of D positions (D the
 * sequence's common denominator), segment k owns D × its fraction of them,
 * placed by largest deficit (the segment furthest behind its share next,
 * never past its share), so every prefix is shared within one of the
 * fractions and the cycle ends exact. Index i belongs to the owner of
 * position i mod D.
 */
export class SegmentStripe {
  /** The positions of the cycle this segment owns, ascending. */
  private readonly positions: number[];
  /** For each position p, how many of positions [0, p) this segment owns. */
  private readonly ownedBefore: Int32Array;
  readonly cycle: number;

  constructor(readonly segment: ExecutionSegment) {
    const { sequence } = segment;
    const cycle = sequence.reduce((l, c) => (l * c.d) / gcd(l, c.d), 1);
    const at = (f: Fraction) => (cycle / f.d) * f.n;
    const quotas = sequence.slice(1).map((c, k) => at(c) - at(sequence[k] as Fraction));
    const owned = quotas.map(() => 0);
    const mine: number[] = [];
    for (let p = 0; p < cycle; p++) {
      let best = -1;
      let bestDeficit = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < quotas.length; k++) {
        const quota = quotas[k] as number;
        if ((owned[k] as number) >= quota) continue;
        const deficit = quota * (p + 1) - cycle * (owned[k] as number);
        if (deficit > bestDeficit) {
          best = k;
          bestDeficit = deficit;
        }
      }
      owned[best] = (owned[best] as number) + 1;
      if (best === segment.index) mine.push(p);
    }
    this.cycle = cycle;
    this.positions = mine;
    this.ownedBefore = new Int32Array(cycle + 1);
    let m = 0;
    for (let p = 0; p <= cycle; p++) {
      this.ownedBefore[p] = m;
      if (mine[m] === p) m++;
    }
  }

  /** How many of the indices 0 … n−1 this segment owns (its share of n users or starts). */
  countBelow(n: number): number {
    const whole = Math.floor(n / this.cycle);
    return whole * this.positions.length + (this.ownedBefore[n - whole * this.cycle] as number);
  }

  /** The m-th (0-based) index this segment owns. */
  nth(m: number): number {
    const per = this.positions.length;
    return Math.floor(m / per) * this.cycle + (this.positions[m % per] as number);
  }

  owns(i: number): boolean {
    const p = i % this.cycle;
    return this.ownedBefore[p + 1] !== this.ownedBefore[p];
  }
}
