import { ConfigError } from "../errors.ts";
import { redactUrl } from "../redact.ts";

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
  /** Names read, in order: the documentation of what a target needs. */
  readonly names: string[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  optional(name: string): string | undefined {
    this.names.push(name);
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

  /** A URL; its password (if any) is remembered as a secret. */
  url(name: string, options: EnvVarOptions & { protocols: string[] }): string {
    const value = this.string(name, options);
    if (!value) return value;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      // A malformed URL may still carry a password: show it redacted.
      this.problems.push(
        `${name}="${redactUrl(value)}" is not a URL. It is ${options.description}.`,
      );
      return "";
    }
    if (parsed.password) this.secrets.push(decodeURIComponent(parsed.password), parsed.password);
    if (!options.protocols.includes(parsed.protocol)) {
      this.problems.push(
        `${name} uses ${parsed.protocol}; allowed: ${options.protocols.join(", ")}. It is ${options.description}.`,
      );
    }
    return value.replace(/\/+$/, "");
  }

  /** Throws one ConfigError listing every problem seen so far. */
  assertValid(): void {
    if (this.problems.length > 0) {
      throw new ConfigError([...this.problems], "The target's environment is incomplete");
    }
  }
}
