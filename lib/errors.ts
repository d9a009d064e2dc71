import type { Outcome } from "./exitCodes.ts";

/**
 * One error class per outcome a caller branches on. Entry points map
 * `error.outcome` to an exit code; nobody branches on message text.
 */
export abstract class HarnessError extends Error {
  abstract readonly outcome: Outcome;
}

/** Bad flags, config file or environment. `problems` lists every one found, not just the first. */
export class ConfigError extends HarnessError {
  readonly outcome = "usageOrConfig" as const;
  constructor(
    readonly problems: readonly string[],
    heading = "Configuration is invalid",
  ) {
    super(`${heading}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** A dependency could not be reached. `url` must already be redacted. */
export class DependencyUnreachableError extends HarnessError {
  readonly outcome = "targetUnreachable" as const;
  constructor(
    readonly dependency: string,
    readonly url: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`${dependency} at ${url} is unreachable (${reason}). ${hint}`);
    this.name = "DependencyUnreachableError";
  }
}

/** A short, safe description of an unknown thrown value (no stack). */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message || error.name;
  }
  return String(error);
}
