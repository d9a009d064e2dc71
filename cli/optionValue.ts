import type { ConfigFileDefaults } from "../lib/config/defineConfig.ts";
import { parseDuration } from "../lib/config/parseDuration.ts";
import { CLI_DEFAULTS, OPTIONS, type OptionSpec } from "./cliOptions.ts";
import type { ParsedArgs } from "./parseArgs.ts";

/** One option's value and where it came from (`--flag`, an env variable, the config file, default). */
export type OptionGetter = (flag: string) => { value: string | undefined; from: string };

/** Precedence: flag > env > config file defaults > built-in default. */
export function optionValue(
  spec: OptionSpec,
  parsed: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
  fileDefaults: ConfigFileDefaults,
): { value: string | undefined; from: string } {
  const flag = parsed.flags.get(spec.flag);
  if (typeof flag === "string") return { value: flag, from: `--${spec.flag}` };
  const fromEnv = spec.env ? env[spec.env] : undefined;
  if (spec.env && fromEnv) return { value: fromEnv, from: spec.env };
  const fromFile = spec.fromConfig ? fileDefaults[spec.fromConfig] : undefined;
  if (spec.fromConfig && fromFile !== undefined)
    return { value: fromFile, from: `config defaults.${spec.fromConfig}` };
  return { value: spec.default, from: "default" };
}

export function specFor(flag: string): OptionSpec {
  const spec = OPTIONS.find((o) => o.flag === flag);
  if (!spec) throw new Error(`no option --${flag}`);
  return spec;
}

/** The config file to load, before anything else is resolved (it supplies defaults for the rest). */
export function configPath(
  parsed: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return optionValue(specFor("config"), parsed, env, {}).value ?? CLI_DEFAULTS.config;
}

/** The longest wait a Node timer can hold (2^31 − 1 ms, about 24.8 days); past it a timer fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Reads a duration or a bounded number; each bad value is a problem naming where it came from. */
export type DurationReader = (flag: string, fallback: string) => number;
export type NumberReader = (
  flag: string,
  what: string,
  max: number,
  integer: boolean,
) => number | undefined;

/** The readers every command's options share; their problems go to `problems`. */
export function optionReaders(
  get: OptionGetter,
  problems: string[],
): { duration: DurationReader; number: NumberReader } {
  const duration: DurationReader = (flag, fallback) => {
    const { value = fallback, from } = get(flag);
    const ms = parseDuration(value);
    if (ms !== undefined && ms <= MAX_TIMER_MS) return ms;
    problems.push(
      ms === undefined
        ? `${from}="${value}" is not a duration. Use a number with ms, s, m, h or d, e.g. 10s or 24h.`
        : `${from}="${value}" is longer than a timer can hold (Node's timers overflow past 24.8 days and fire at once). Use 1ms to 24d.`,
    );
    return parseDuration(fallback) ?? 0;
  };
  const number: NumberReader = (flag, what, max, integer) => {
    const { value, from } = get(flag);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (Number.isFinite(n) && n > 0 && n <= max && (!integer || Number.isInteger(n))) return n;
    problems.push(
      `${from}="${value}" is not ${what}. Use ${integer ? "a whole number" : "a number"} from ${integer ? 1 : "above 0"} to ${max}.`,
    );
    return undefined;
  };
  return { duration, number };
}
