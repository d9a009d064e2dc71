/** How long opening a target may take (a module of its own: the CLI's --help reads it without loading the profile's schemas). */
export const OPEN_TARGET_DEFAULTS = {
  /** A target's setup(): the local target starts a reference stack within it (a few seconds). */
  setupMs: 60_000,
  /** After a signal, how long a setup() still running may take to finish, so what it started is stopped. */
  settleAfterSignalMs: 3_000,
  /** After a signal, the teardown of what that setup() started. */
  teardownAfterSignalMs: 10_000,
} as const;
