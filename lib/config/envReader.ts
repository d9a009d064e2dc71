import { ConfigError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import { urlProblem } from "./profileChecks.ts";

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
    const { password } = new URL(value);
    if (password) this.secrets.push(decodeURIComponent(password), password);
    return value.replace(/\/+$/, "");
  }

  /** Throws one ConfigError listing every problem seen so far. */
  assertValid(): void {
    if (this.problems.length > 0) {
      throw new ConfigError([...this.problems], "The target's environment is incomplete");
    }
  }
}
