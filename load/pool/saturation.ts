import { POOL_WAIT_GRACE_MS } from "../scenarios/scenarios.ts";

/** A pool's saturation over a scenario: how often it lasted past the grace, and the longest stretch. */
export interface Saturation {
  saturatedSince?: number;
  /** This stretch was counted already. */
  counted: boolean;
  saturatedOverGrace: number;
  longestSaturationMs: number;
}

/**
 * One sample of a pool: saturated or not at `now`. A stretch of saturation
 * longer than POOL_WAIT_GRACE_MS counts once, however long it lasts.
 */
export function recordSaturation(state: Saturation, saturated: boolean, now: number): void {
  if (!saturated) {
    state.saturatedSince = undefined;
    state.counted = false;
    return;
  }
  state.saturatedSince ??= now;
  const lasted = now - state.saturatedSince;
  state.longestSaturationMs = Math.max(state.longestSaturationMs, lasted);
  if (lasted > POOL_WAIT_GRACE_MS && !state.counted) {
    state.saturatedOverGrace++;
    state.counted = true;
  }
}
