import { describe, expect, it } from "vitest";
import { interruptOnSignals, RELAYED_SIGNAL_WINDOW_MS } from "./interruptOnSignals.ts";

/** Delivers signals to the handlers as the process would, at chosen clock times. */
function harness() {
  let clock = 0;
  const seen: string[] = [];
  const interruption = interruptOnSignals({
    onInterrupt: (signal) => seen.push(`interrupt ${signal}`),
    onRepeat: (signal) => seen.push(`repeat ${signal}`),
    now: () => clock,
  });
  const deliver = (signal: NodeJS.Signals, at: number) => {
    clock = at;
    process.emit(signal, signal);
  };
  return { seen, interruption, deliver };
}

describe("interruptOnSignals", () => {
  it("treats copies relayed within the window (tsx: 30 ms; pnpm exec: SIGINT then SIGTERM) as one", () => {
    const { seen, interruption, deliver } = harness();
    try {
      deliver("SIGTERM", 0);
      deliver("SIGTERM", 34);
      deliver("SIGINT", 40);
      deliver("SIGTERM", RELAYED_SIGNAL_WINDOW_MS - 1);
      expect(seen).toEqual(["interrupt SIGTERM"]);
      expect(interruption.signal.aborted).toBe(true);
    } finally {
      interruption.dispose();
    }
  });

  it("a distinct second signal after the window means give up, once", () => {
    const { seen, interruption, deliver } = harness();
    try {
      deliver("SIGINT", 0);
      deliver("SIGINT", RELAYED_SIGNAL_WINDOW_MS + 500);
      deliver("SIGINT", RELAYED_SIGNAL_WINDOW_MS + 510);
      expect(seen).toEqual(["interrupt SIGINT", "repeat SIGINT"]);
    } finally {
      interruption.dispose();
    }
  });

  it("stops listening when disposed", () => {
    const { seen, interruption, deliver } = harness();
    interruption.dispose();
    // With no listener left, a real SIGTERM would end the process; emit() only calls listeners.
    deliver("SIGTERM", 0);
    expect(seen).toEqual([]);
    expect(interruption.signal.aborted).toBe(false);
  });
});
