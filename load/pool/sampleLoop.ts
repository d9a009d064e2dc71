import { withinBound } from "../../lib/drivers/withinBound.ts";

const SAMPLE_INTERVAL_MS = 200;
/** One sample (every scrape and the pg_stat_activity query): a stalled source never holds up the next. */
export const SAMPLE_BOUND_MS = 2_500;

/** One source's sampling: a step every SAMPLE_INTERVAL_MS after the last began, one at a time. */
export interface SampleLoop {
  step: () => Promise<void>;
  stop(): Promise<void>;
}

/** Runs `step` every SAMPLE_INTERVAL_MS (from the start of the last), one at a time, each bounded. */
export function sampleLoop(step: () => Promise<void>): SampleLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    const began = performance.now();
    current = withinBound(step, SAMPLE_BOUND_MS, "pool sample")
      .catch(() => {})
      .then(() => {
        if (!stopped)
          timer = setTimeout(tick, Math.max(0, SAMPLE_INTERVAL_MS - (performance.now() - began)));
      });
  };
  timer = setTimeout(tick, SAMPLE_INTERVAL_MS);
  return {
    step,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
