import type { ConfigFileDefaults } from "../lib/config/defineConfig.ts";
import { CLI_DEFAULTS } from "./cliOptions.ts";
import { type LoadOptions, loadOptions } from "./loadOptions.ts";
import { type OptionGetter, optionReaders, optionValue, specFor } from "./optionValue.ts";
import type { ParsedArgs } from "./parseArgs.ts";
import { type SignoffOptions, signoffOptions } from "./signoffOptions.ts";
import {
  type DistributeOptions,
  distributeOptions,
  type SplitOptions,
  splitOptions,
} from "./splitOptions.ts";
import { type WatchOptions, watchOptions } from "./watchOptions.ts";

export { CLI_DEFAULTS, OPTIONS } from "./cliOptions.ts";
export { COMMANDS, type CommandName } from "./commands.ts";
export type { EngineChoice } from "./loadOptions.ts";
export { configPath } from "./optionValue.ts";
export { type ParsedArgs, parseArgs } from "./parseArgs.ts";

/** Every command's options, resolved; each command reads its own part. */
export interface CliOptions extends LoadOptions {
  target: string;
  signoff: SignoffOptions;
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
  const get: OptionGetter = (flag) => optionValue(specFor(flag), parsed, env, fileDefaults);
  const { duration, number } = optionReaders(get, problems);
  const { value: phaseText = CLI_DEFAULTS.phase, from: phaseFrom } = get("phase");
  if (!/^[1-9]$/.test(phaseText)) {
    problems.push(
      `${phaseFrom}="${phaseText}" is not a phase. Use a number from 1 to 9 (3 adds the follower check).`,
    );
  }
  const load = loadOptions(get, number, problems);
  const { value: onlyText, from: onlyFrom } = get("only");
  if (onlyText !== undefined && !/^\s*[A-Za-z]+\d+(\s*,\s*[A-Za-z]+\d+)*\s*$/.test(onlyText))
    problems.push(`${onlyFrom}="${onlyText}" is not a list of probe ids; use e.g. --only W2,W5.`);
  const options: CliOptions = {
    target: get("target").value ?? CLI_DEFAULTS.target,
    ...load,
    signoff: signoffOptions(parsed.flags, get, duration),
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
