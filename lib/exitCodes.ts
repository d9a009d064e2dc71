/**
 * The one map from a run's outcome to the process exit code. Entry points
 * call `exitCodeFor(outcome)`; nothing else picks a number.
 */
export const EXIT_CODES = {
  /** Every check and threshold passed. */
  pass: 0,
  /** At least one check or threshold failed: the integration is broken. */
  checksFailed: 1,
  /** The command line, config file or environment is wrong. */
  usageOrConfig: 2,
  /** A dependency (HTTP service, database, Redis) could not be reached: infrastructure, not a regression. */
  targetUnreachable: 3,
  /**
   * The harness itself failed (a bug, an unexpected exception): no verdict on
   * the target. Kept apart from 1, which says the target failed its checks.
   */
  internalError: 4,
  /**
   * `harness merge`: a runner's shard is missing, duplicated, partial or of
   * another plan, so the whole was not measured: no verdict, never a pass.
   */
  incomplete: 5,
  /**
   * Stopped by Ctrl-C or SIGTERM before its checks finished: no verdict either way.
   * 128 + SIGINT, as shells report it, so CI tells an aborted run from a red one.
   */
  interrupted: 130,
} as const;

export type Outcome = keyof typeof EXIT_CODES;

const MEANINGS: Record<Outcome, string> = {
  pass: "pass",
  checksFailed: "checks failed",
  usageOrConfig: "usage or config error",
  targetUnreachable: "a dependency is unreachable",
  internalError: "harness error (no verdict)",
  incomplete: "incomplete merge: a runner's shard missing or not matching (no verdict)",
  interrupted: "interrupted (no verdict)",
};

/** One line for `--help`, generated from the map so it cannot drift. */
export function exitCodesLine(): string {
  const entries = Object.entries(EXIT_CODES) as [Outcome, number][];
  return `Exit codes: ${entries.map(([outcome, code]) => `${code} ${MEANINGS[outcome]}`).join(" · ")}`;
}

export function exitCodeFor(outcome: Outcome): number {
  return EXIT_CODES[outcome];
}
