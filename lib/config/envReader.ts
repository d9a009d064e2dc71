import { ConfigError } from "../errors.ts";
import { redactSecrets, redactUrl } from "../redact.ts";
import { urlProblem } from "./urlProblem.ts";

/** A URL username at least this long is treated as a token (redacted from every output). */
const TOKEN_LIKE_USERNAME = 16;

export interface EnvVarOptions {
  /** What the variable is for, and an example; used in the error when it is missing or bad. */
  description: string;
  /** Used when the variable is unset or empty. */
  default?: string;
}

/**
 * Reads named environment variables for a target profile and collects every
 * problem instead of stopping at the first, so one run lists all of them.
 * Values read with `secret` are remembered for redaction.
 */
export class EnvReader {
  readonly problems: string[] = [];
  readonly secrets: string[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  optional(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === "" ? undefined : value;
  }

  string(name: string, options: EnvVarOptions): string {
    const value = this.optional(name) ?? options.default;
    if (value === undefined) {
      this.problems.push(
        `${name} is not set. It is ${options.description}. Export it, or pick another target with --target.`,
      );
      return "";
    }
    return value;
  }

  secret(name: string, options: EnvVarOptions): string {
    const value = this.string(name, options);
    if (value) this.secrets.push(value);
    return value;
  }

  /** A URL with one of `protocols`; its password (if any) is remembered as a secret. */
  url(name: string, options: EnvVarOptions & { protocols: string[] }): string {
    const value = this.string(name, options);
    if (!value) return value;
    const problem = urlProblem(value, options.protocols);
    if (problem) {
      // A malformed URL may still carry a password: show it redacted.
      this.problems.push(`${name}="${redactUrl(value)}" ${problem}. It is ${options.description}.`);
      return "";
    }
    // A token often sits where a username goes (https://<token>@host): a username long
    // enough to be one is a secret too. A role name (postgres, app) is not scrubbed from
    // free text, where it would mangle every "postgres://"; URLs hide it anyway (redactUrl).
    const { username, password } = new URL(value);
    if (password) this.secrets.push(decodeURIComponent(password), password);
    if (username.length >= TOKEN_LIKE_USERNAME)
      this.secrets.push(decodeURIComponent(username), username);
    return value.replace(/\/+$/, "");
  }

  /** Every problem seen so far, with every secret read so far scrubbed (a bad URL may quote another variable's). */
  redactedProblems(): string[] {
    return this.problems.map((p) => redactSecrets(p, this.secrets));
  }

  /** Throws one ConfigError listing every problem seen so far. */
  assertValid(): void {
    if (this.problems.length > 0) {
      throw new ConfigError(this.redactedProblems(), "The target's environment is incomplete");
    }
  }
}
