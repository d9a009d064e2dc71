import type { ConfigFileDefaults } from "../lib/config/defineConfig.ts";
import { parseDuration } from "../lib/config/parseDuration.ts";
import { OVERRIDE_EXAMPLE, parseOverride } from "../lib/thresholdCondition.ts";
import { SCENARIO_NAMES } from "../load/scenarios/scenarios.ts";
import { CLI_DEFAULTS, OPTIONS, type OptionSpec } from "./cliOptions.ts";
import { COMMANDS, type CommandName } from "./commands.ts";

import {
  type DistributeOptions,
  distributeOptions,
  type SplitOptions,
  splitOptions,
} from "./splitOptions.ts";
import { type WatchOptions, watchOptions } from "./watchOptions.ts";

export { CLI_DEFAULTS, OPTIONS } from "./cliOptions.ts";
export { COMMANDS, type CommandName } from "./commands.ts";

const ENGINES: readonly EngineChoice[] = ["auto", "node", "k6"];
/** The longest wait a Node timer can hold (2^31 − 1 ms, about 24.8 days); past it a timer fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** No load run may last longer than this per scenario: every run stops by itself. */
const MAX_LOAD_MS = 2 * 3_600_000;

export interface ParsedArgs {
  command: CommandName | undefined;
  flags: Map<string, string | true>;
  problems: string[];
}

function isCommand(value: string | undefined): value is CommandName {
  return value !== undefined && Object.hasOwn(COMMANDS, value);
}

/** Splits argv into a command and flags; every problem is collected, not only the first. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const problems: string[] = [];
  const [first, ...rest] = argv;
  const command = isCommand(first) ? first : undefined;
  let tokens = argv;
  if (command) {
    tokens = rest;
  } else if (first !== undefined && !first.startsWith("--")) {
    problems.push(`"${first}" is not a command. Commands: ${Object.keys(COMMANDS).join(", ")}.`);
    tokens = rest;
  }
  const known = OPTIONS.filter((o) => command === undefined || o.commands.includes(command));
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    // merge takes its shard folders as arguments too.
    if (!token.startsWith("--") && command === "merge") {
      const given = flags.get("shard");
      flags.set("shard", typeof given === "string" ? `${given}\n${token}` : token);
      continue;
    }
    if (!token.startsWith("--")) {
      problems.push(`Unexpected argument "${token}". Options start with --; see --help.`);
      continue;
    }
    const eq = token.indexOf("=");
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const spec = known.find((o) => o.flag === name);
    if (!spec) {
      const allowed = known.map((o) => `--${o.flag}`).join(", ");
      problems.push(
        `--${name} is not an option${command ? ` of ${command}` : ""}. Allowed: ${allowed}.`,
      );
      // Another command's option: skip its value too, so it is not reported again as a stray.
      if (
        eq === -1 &&
        OPTIONS.find((o) => o.flag === name)?.takes &&
        !tokens[i + 1]?.startsWith("--")
      )
        i++;
      continue;
    }
    if (!spec.takes) {
      if (eq !== -1)
        problems.push(`--${name} is a switch and takes no value; drop "=${token.slice(eq + 1)}".`);
      flags.set(name, true);
      continue;
    }
    const given = flags.get(name);
    const value = eq !== -1 ? token.slice(eq + 1) : tokens[++i];
    if (value === undefined || value === "" || (eq === -1 && value.startsWith("--"))) {
      problems.push(`--${name} needs a value ${spec.takes}.`);
      if (eq === -1 && value?.startsWith("--")) i--;
      continue;
    }
    // A repeatable option keeps every value, in order, separated by a newline (no path holds one);
    // any other given twice is ambiguous, and which one wins is not for the harness to guess.
    if (typeof given === "string" && !spec.repeatable) {
      problems.push(`--${name} is given twice ("${given}", "${value}"): give it once.`);
      continue;
    }
    flags.set(name, typeof given === "string" ? `${given}\n${value}` : value);
  }
  return { command, flags, problems };
}

/** Precedence: flag > env > config file defaults > built-in default. */
function pick(
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

function specFor(flag: string): OptionSpec {
  const spec = OPTIONS.find((o) => o.flag === flag);
  if (!spec) throw new Error(`no option --${flag}`);
  return spec;
}

/** The config file to load, before anything else is resolved (it supplies defaults for the rest). */
export function configPath(
  parsed: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return pick(specFor("config"), parsed, env, {}).value ?? CLI_DEFAULTS.config;
}

export type EngineChoice = "auto" | "node" | "k6";

export interface CliOptions {
  target: string;
  /** load: the scenarios to run, in order (names, or "all"); checked against the target's own. */
  scenarios: string[];
  engine: EngineChoice;
  durationSec: number | undefined;
  connections: number | undefined;
  ratePerSec: number | undefined;
  /** load: threshold conditions by metric key. */
  thresholds: Record<string, string>;
  /** signoff: the run folders to read and where to write. */
  signoff: {
    smoke: string | undefined;
    loads: string[];
    /** Probe run folders (--probe), in order. */
    probes: string[];
    latest: boolean;
    baseline: string | undefined;
    failOnRegression: boolean;
    release: string | undefined;
    out: string | undefined;
    /** A run finished longer ago than this is NO-GO. */
    maxAgeMs: number;
  };
  phase: number;
  timeoutMs: number;
  requestTimeoutMs: number;
  reportDir: string | undefined;
  cleanupTimeoutMs: number;
  setupTimeoutMs: number;
  keepData: boolean;
  confirmProduction: boolean;
  /** probe: the probe ids of --only (undefined: all). */
  only: string[] | undefined;
  olderThanMs: number;
  /** watch: the interval of --every (undefined: --once), how long it may run, and --test-notification. */
  watch: WatchOptions;
  /** load: this runner's share (--segment), where its shard goes, and the agreed start. */
  split: SplitOptions;
  /** merge: the shard folders (or a k6-operator run's raw files, with its plan). */
  shards: string[];
  k6Plan: string | undefined;
  /** k6-operator, k8s-job: the runners and where the manifests go. */
  distribute: DistributeOptions;
  /** init: the kind of target, the file to write, and whether to replace one. */
  init: { kind: string | undefined; out: string | undefined; force: boolean };
}

/** Resolves every option of a command; returns all problems found. */
export function resolveOptions(
  parsed: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
  fileDefaults: ConfigFileDefaults,
): { options: CliOptions; problems: string[] } {
  const problems: string[] = [];
  const get = (flag: string) => pick(specFor(flag), parsed, env, fileDefaults);
  const duration = (flag: string, fallback: string) => {
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
  const { value: phaseText = CLI_DEFAULTS.phase, from: phaseFrom } = get("phase");
  if (!/^[1-9]$/.test(phaseText)) {
    problems.push(
      `${phaseFrom}="${phaseText}" is not a phase. Use a number from 1 to 9 (3 adds the follower check).`,
    );
  }
  const number = (flag: string, what: string, max: number, integer: boolean) => {
    const { value, from } = get(flag);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (Number.isFinite(n) && n > 0 && n <= max && (!integer || Number.isInteger(n))) return n;
    problems.push(
      `${from}="${value}" is not ${what}. Use ${integer ? "a whole number" : "a number"} from ${integer ? 1 : "above 0"} to ${max}.`,
    );
    return undefined;
  };
  const { value: scenarioText = CLI_DEFAULTS.scenario, from: scenarioFrom } = get("scenario");
  // Names are checked against the target's scenarios once its profile is known (built-in or declared).
  const scenarios = scenarioText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (scenarios.length === 0 || !scenarios.every((s) => /^[a-z][a-zA-Z0-9_-]{0,39}$/.test(s)))
    problems.push(
      `${scenarioFrom}="${scenarioText}" is not a scenario. Use ${SCENARIO_NAMES.join(", ")}, a scenario the target declares, a comma-separated list of them, or all.`,
    );
  const { value: engineText = CLI_DEFAULTS.engine, from: engineFrom } = get("engine");
  if (!ENGINES.includes(engineText as EngineChoice))
    problems.push(`${engineFrom}="${engineText}" is not an engine. Use ${ENGINES.join(", ")}.`);
  const { value: durationText, from: durationFrom } = get("duration");
  const durationMs = durationText === undefined ? undefined : parseDuration(durationText);
  if (
    durationText !== undefined &&
    (durationMs === undefined || durationMs < 1_000 || durationMs > MAX_LOAD_MS)
  )
    problems.push(
      `${durationFrom}="${durationText}" is not a load duration. Use 1s to 2h, e.g. 30s or 10m.`,
    );
  const thresholds: Record<string, string> = {};
  const { value: thresholdText, from: thresholdFrom } = get("threshold");
  for (const part of (thresholdText ?? "")
    .split(/[;\n]/)
    .map((t) => t.trim())
    .filter(Boolean)) {
    const override = parseOverride(part);
    if (!override) {
      problems.push(
        `${thresholdFrom}: "${part}" is not metric{tags}=condition, e.g. ${OVERRIDE_EXAMPLE}.`,
      );
      continue;
    }
    thresholds[override.key] = override.condition;
  }
  const { value: onlyText, from: onlyFrom } = get("only");
  if (onlyText !== undefined && !/^\s*[A-Za-z]+\d+(\s*,\s*[A-Za-z]+\d+)*\s*$/.test(onlyText))
    problems.push(`${onlyFrom}="${onlyText}" is not a list of probe ids; use e.g. --only W2,W5.`);
  const options: CliOptions = {
    target: get("target").value ?? CLI_DEFAULTS.target,
    scenarios,
    engine: ENGINES.includes(engineText as EngineChoice) ? (engineText as EngineChoice) : "auto",
    durationSec:
      durationMs !== undefined && durationMs >= 1_000 && durationMs <= MAX_LOAD_MS
        ? Math.round(durationMs / 1000)
        : undefined,
    connections: number("connections", "a number of connections", 10_000, true),
    ratePerSec: number("rate", "an arrival rate", 10_000, false),
    thresholds,
    signoff: {
      smoke: get("smoke").value,
      loads: (get("load").value ?? "").split("\n").filter(Boolean),
      probes: (get("probe").value ?? "").split("\n").filter(Boolean),
      latest: parsed.flags.get("latest") === true,
      baseline: get("baseline").value,
      failOnRegression: parsed.flags.get("fail-on-regression") === true,
      release: get("release").value,
      out: get("out").value,
      maxAgeMs: duration("max-age", CLI_DEFAULTS.maxAge),
    },
    phase: /^[1-9]$/.test(phaseText) ? Number(phaseText) : Number(CLI_DEFAULTS.phase),
    timeoutMs: duration("timeout", CLI_DEFAULTS.timeout),
    requestTimeoutMs: duration("request-timeout", CLI_DEFAULTS.requestTimeout),
    reportDir: get("report-dir").value,
    cleanupTimeoutMs: duration("cleanup-timeout", CLI_DEFAULTS.cleanupTimeout),
    setupTimeoutMs: duration("setup-timeout", CLI_DEFAULTS.setupTimeout),
    keepData: parsed.flags.get("keep-data") === true,
    confirmProduction: parsed.flags.get("confirm-production") === true,
    only:
      onlyText === undefined
        ? undefined
        : onlyText
            .split(",")
            .map((id) => id.trim().toUpperCase())
            .filter(Boolean),
    olderThanMs: duration("older-than", CLI_DEFAULTS.olderThan),
    watch: watchOptions(parsed.flags, get, duration, problems),
    split: splitOptions(get, env, problems, Date.now()),
    shards: (get("shard").value ?? "").split("\n").filter(Boolean),
    k6Plan: get("k6-plan").value,
    distribute: distributeOptions(
      get,
      number("parallelism", "a number of runners", 1_000, true),
      problems,
    ),
    init: {
      kind: get("kind").value,
      out: get("out").value,
      force: parsed.flags.get("force") === true,
    },
  };
  return { options, problems };
}
