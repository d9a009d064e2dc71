import type { ConfigFileDefaults } from "../lib/config/defineConfig.ts";
import { parseDuration } from "../lib/config/parseDuration.ts";
import { exitCodesLine } from "../lib/exitCodes.ts";
import { helpTable } from "../lib/helpTable.ts";

export type CommandName = "smoke" | "sweep";

export const COMMANDS: Record<CommandName, string> = {
  smoke:
    "Runs the joint smoke against a target: identify, create and pay an order, assert the integration acted.",
  sweep:
    "Removes leftovers of crashed runs of any suite (webhook jobs, then rows) older than --older-than.",
};

interface OptionSpec {
  flag: string;
  /** Placeholder for the value; absent for a switch. */
  takes?: string;
  env?: string;
  fromConfig?: keyof ConfigFileDefaults;
  default?: string;
  description: string;
  commands: readonly CommandName[];
}

const BOTH = ["smoke", "sweep"] as const;

/** Every built-in default of the CLI in one place; OPTIONS and `--help` read it. */
export const CLI_DEFAULTS = {
  target: "local",
  config: "harness.config.ts",
  phase: "2",
  /** The plan's "wait 10s", now a deadline instead of a sleep. */
  timeout: "10s",
  /** One HTTP call to a service (identify, a test helper, token minting). */
  requestTimeout: "10s",
  olderThan: "24h",
} as const;

/** The one list of options: the parser, the precedence and `--help` all read it. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    flag: "target",
    takes: "<name>",
    env: "HARNESS_TARGET",
    fromConfig: "target",
    default: CLI_DEFAULTS.target,
    description: "Target profile from the config file.",
    commands: BOTH,
  },
  {
    flag: "config",
    takes: "<file>",
    env: "HARNESS_CONFIG",
    default: CLI_DEFAULTS.config,
    description: "Config file to load; may live anywhere.",
    commands: BOTH,
  },
  {
    flag: "phase",
    takes: "<n>",
    env: "HARNESS_PHASE",
    fromConfig: "phase",
    default: CLI_DEFAULTS.phase,
    description: "Integration phase (1-9); 3 and up also assert the follower link.",
    commands: ["smoke"],
  },
  {
    flag: "timeout",
    takes: "<duration>",
    env: "HARNESS_TIMEOUT",
    fromConfig: "timeout",
    default: CLI_DEFAULTS.timeout,
    description: "How long the effects of the payment may take to appear (e.g. 500ms, 10s, 1m).",
    commands: ["smoke"],
  },
  {
    flag: "request-timeout",
    takes: "<duration>",
    env: "HARNESS_REQUEST_TIMEOUT",
    fromConfig: "requestTimeout",
    default: CLI_DEFAULTS.requestTimeout,
    description:
      "How long one HTTP call to a service may take (identify, test helpers, token minting); separate from --timeout.",
    commands: ["smoke"],
  },
  {
    flag: "report-dir",
    takes: "<dir>",
    env: "HARNESS_REPORT_DIR",
    fromConfig: "reportDir",
    description:
      "Where summary.json and junit.xml go (default reports/<run id>/, e.g. reports/smoke-20261123t003224z-a1b2c3d4/).",
    commands: ["smoke"],
  },
  {
    flag: "keep-data",
    description: "Keep what the run created (no cleanup), for inspection.",
    commands: ["smoke"],
  },
  {
    flag: "older-than",
    takes: "<duration>",
    default: CLI_DEFAULTS.olderThan,
    description: "Sweep runs created longer ago than this (e.g. 24h, 7d).",
    commands: ["sweep"],
  },
  {
    flag: "confirm-production",
    description: "Required to run against a target marked production: true.",
    commands: BOTH,
  },
  { flag: "help", description: "Show this help.", commands: BOTH },
];

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
    const value = eq !== -1 ? token.slice(eq + 1) : tokens[++i];
    if (value === undefined || value === "" || (eq === -1 && value.startsWith("--"))) {
      problems.push(`--${name} needs a value ${spec.takes}.`);
      if (eq === -1 && value?.startsWith("--")) i--;
      continue;
    }
    flags.set(name, value);
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

export interface CliOptions {
  target: string;
  phase: number;
  timeoutMs: number;
  requestTimeoutMs: number;
  reportDir: string | undefined;
  keepData: boolean;
  confirmProduction: boolean;
  olderThanMs: number;
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
    if (ms !== undefined) return ms;
    problems.push(
      `${from}="${value}" is not a duration. Use a number with ms, s, m, h or d, e.g. 10s or 24h.`,
    );
    return parseDuration(fallback) ?? 0;
  };
  const { value: phaseText = CLI_DEFAULTS.phase, from: phaseFrom } = get("phase");
  if (!/^[1-9]$/.test(phaseText)) {
    problems.push(
      `${phaseFrom}="${phaseText}" is not a phase. Use a number from 1 to 9 (3 adds the follower check).`,
    );
  }
  const options: CliOptions = {
    target: get("target").value ?? CLI_DEFAULTS.target,
    phase: /^[1-9]$/.test(phaseText) ? Number(phaseText) : Number(CLI_DEFAULTS.phase),
    timeoutMs: duration("timeout", CLI_DEFAULTS.timeout),
    requestTimeoutMs: duration("request-timeout", CLI_DEFAULTS.requestTimeout),
    reportDir: get("report-dir").value,
    keepData: parsed.flags.get("keep-data") === true,
    confirmProduction: parsed.flags.get("confirm-production") === true,
    olderThanMs: duration("older-than", CLI_DEFAULTS.olderThan),
  };
  return { options, problems };
}

/** `--help`, generated from OPTIONS so it cannot drift from the parser. */
export function helpText(command: CommandName | undefined): string {
  if (!command) {
    return [
      "Usage: pnpm harness <command> [options]",
      "",
      "Commands:",
      ...helpTable(Object.entries(COMMANDS)),
      "",
      "Run `pnpm harness <command> --help` for its options.",
      "",
    ].join("\n");
  }
  const rows = OPTIONS.filter((o) => o.commands.includes(command)).map((o): [string, string] => {
    const extra = [
      o.env ? `env ${o.env}` : "",
      o.fromConfig ? `config defaults.${o.fromConfig}` : "",
      o.default ? `default ${o.default}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    return [
      `--${o.flag}${o.takes ? ` ${o.takes}` : ""}`,
      `${o.description}${extra ? ` (${extra})` : ""}`,
    ];
  });
  return [
    `Usage: pnpm harness ${command} [options]`,
    "",
    COMMANDS[command],
    "",
    "Options (precedence: flag > env > config file defaults > default):",
    ...helpTable(rows),
    "",
    exitCodesLine(),
    "",
  ].join("\n");
}
