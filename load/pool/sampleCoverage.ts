import type { SampleGap } from "../../lib/result/scenarioResult.ts";

/** No sample for longer than this is a gap in the evidence (five missed samples at 5 a second). */
const SAMPLE_GAP_MS = 1_000;

/**
 * How much of a scenario a sampler actually saw: every stretch longer than
 * SAMPLE_GAP_MS without a successful sample (a source that did not answer,
 * a connection being re-opened) is a gap, reported with its place in the run.
 */
export class SampleCoverage {
  private lastOk: number;
  private readonly gaps: SampleGap[] = [];

  constructor(private readonly startMs: number) {
    this.lastOk = startMs;
  }

  /** A sample succeeded at `nowMs` (`performance.now()`). */
  ok(nowMs: number): void {
    this.closeGap(nowMs);
    this.lastOk = nowMs;
  }

  private closeGap(nowMs: number): void {
    if (nowMs - this.lastOk > SAMPLE_GAP_MS)
      this.gaps.push({
        fromMs: Math.round(this.lastOk - this.startMs),
        toMs: Math.round(nowMs - this.startMs),
      });
  }

  /** The share of the run covered (0–1) and its gaps, at the end of the run. */
  finish(endMs: number): { coverage: number; gaps: SampleGap[] } {
    this.closeGap(endMs);
    const duration = endMs - this.startMs;
    const missing = this.gaps.reduce((sum, g) => sum + (g.toMs - g.fromMs), 0);
    const coverage = duration <= 0 ? 0 : Math.max(0, Math.min(1, 1 - missing / duration));
    return { coverage: Math.round(coverage * 1000) / 1000, gaps: [...this.gaps] };
  }
}
