/*
 * Stages, as k6 means them (ramping-vus, ramping-arrival-rate): from a
 * start value, each stage moves linearly to its target over its duration.
 * Runtime-neutral: the Node engine schedules by it, and k6's options are
 * generated from the same stages.
 */

export interface Stage {
  durationSec: number;
  /** VUs (ramping-vus) or requests per second (ramping-arrival-rate) at the stage's end. */
  target: number;
}

/** How long the stages last together. */
export function stagesDurationSec(stages: readonly Stage[]): number {
  return stages.reduce((sum, s) => sum + s.durationSec, 0);
}

/** The highest value the stages reach (the VUs or the rate to provision for). */
export function stagesPeak(start: number, stages: readonly Stage[]): number {
  return stages.reduce((peak, s) => Math.max(peak, s.target), start);
}

/** The value at `tSec` since the start: linear within each stage; the last target after the end. */
export function stageValueAt(start: number, stages: readonly Stage[], tSec: number): number {
  let from = start;
  let at = 0;
  for (const stage of stages) {
    if (tSec < at + stage.durationSec)
      return from + ((stage.target - from) * (tSec - at)) / stage.durationSec;
    at += stage.durationSec;
    from = stage.target;
  }
  return from;
}

/**
 * The arrivals of a rate that follows the stages: how many there are
 * (rounded), and when the i-th is due, in seconds since the start. Within a
 * stage the rate goes linearly from r0 to r1, so arrivals so far are
 * r0·τ + (r1 − r0)·τ²/(2T), and the i-th is where that reaches i.
 */
export function arrivalSchedule(
  startRate: number,
  stages: readonly Stage[],
): { total: number; dueSec: (i: number) => number } {
  const segments: { at: number; before: number; r0: number; r1: number; T: number }[] = [];
  let at = 0;
  let before = 0;
  let from = startRate;
  for (const stage of stages) {
    segments.push({ at, before, r0: from, r1: stage.target, T: stage.durationSec });
    before += ((from + stage.target) / 2) * stage.durationSec;
    at += stage.durationSec;
    from = stage.target;
  }
  const total = Math.round(before);
  return {
    total,
    dueSec(i) {
      for (const s of segments) {
        const inSegment = ((s.r0 + s.r1) / 2) * s.T;
        const k = i - s.before;
        if (k >= inSegment && s !== segments[segments.length - 1]) continue;
        const a = (s.r1 - s.r0) / (2 * s.T);
        const b = s.r0;
        const tau =
          Math.abs(a) < 1e-12
            ? b === 0
              ? s.T
              : k / b
            : (-b + Math.sqrt(Math.max(0, b * b + 4 * a * k))) / (2 * a);
        return s.at + Math.min(s.T, Math.max(0, tau));
      }
      return at;
    },
  };
}

/** The stages in a line for the result and the reports: "10s→100, 10s→100, 5s→0". */
export function stagesText(stages: readonly Stage[]): string {
  return stages.map((s) => `${s.durationSec}s→${s.target}`).join(", ");
}

/** A constant rate's schedule: `rate × durationSec` starts, the i-th at i / rate. */
export function constantRate(ratePerSec: number, durationSec: number) {
  return arrivalSchedule(ratePerSec, [{ durationSec, target: ratePerSec }]);
}
