/**
 * Ctrl-C, SIGTERM or SIGHUP, handled once. The first signal aborts the run's waits so
 * cleanup still happens; a second, distinct signal means "give up now".
 *
 * One Ctrl-C or `kill -TERM -<pgid>` (a terminal, `docker stop`, a cancelled
 * CI job, systemd) reaches every process of the group, and wrappers relay it
 * again: `npm run` forwards it, `pnpm exec` adds a SIGTERM to a SIGINT, tsx's
 * CLI re-sends it 30 ms later. Those copies arrive within milliseconds of the
 * first (all land in the same event-loop turn when the loop is busy), so
 * anything within RELAYED_SIGNAL_WINDOW_MS of the first is the same
 * interruption; a person pressing Ctrl-C again to abandon does it later.
 */
export const RELAYED_SIGNAL_WINDOW_MS = 1_000;

/** SIGHUP too: a closed terminal or SSH session stops the run like SIGTERM, and it still cleans up. */
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface InterruptHandlers {
  /** The first signal: the run's waits are aborted; say that cleanup follows. */
  onInterrupt: (signal: NodeJS.Signals) => void;
  /** A distinct second signal: the caller exits without cleanup. */
  onRepeat: (signal: NodeJS.Signals) => void;
  /** For tests: the clock, in milliseconds. */
  now?: () => number;
}

export interface Interruption {
  /** Aborted by the first signal. */
  signal: AbortSignal;
  /** Stops listening (the run is over). */
  dispose: () => void;
}

export function interruptOnSignals(handlers: InterruptHandlers): Interruption {
  const controller = new AbortController();
  const now = handlers.now ?? (() => performance.now());
  let firstAt: number | undefined;
  let repeated = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const at = now();
    if (firstAt === undefined) {
      firstAt = at;
      handlers.onInterrupt(signal);
      controller.abort(new Error(`interrupted by ${signal}`));
      return;
    }
    if (at - firstAt < RELAYED_SIGNAL_WINDOW_MS || repeated) return;
    repeated = true;
    handlers.onRepeat(signal);
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of SIGNALS) process.off(name, onSignal);
    },
  };
}
