import { CLEANUP_DEFAULTS } from "../../lib/cleanup/cleanupRun.ts";
import type { ConfigFileDefaults } from "../../lib/config/defineConfig.ts";
import { OPEN_TARGET_DEFAULTS } from "../../lib/config/openTargetDefaults.ts";
import type { CommandName } from "../commands.ts";

/*
 * What one option of the harness CLI is, the command groups the tables
 * name, and every built-in default (cli/flags/*Flags.ts are the tables).
 */

/** The commands that generate manifests for a split run from a target's scenarios. */
export const GENERATORS = ["k6-operator", "k8s-job"] as const;

export interface OptionSpec {
  flag: string;
  /** Placeholder for the value; absent for a switch. */
  takes?: string;
  env?: string;
  fromConfig?: keyof ConfigFileDefaults;
  default?: string;
  description: string;
  commands: readonly CommandName[];
  /** Given more than once, the values are kept in order (`--load a --load b`). */
  repeatable?: boolean;
}

/** The commands that act on a target. */
export const ALL = ["smoke", "load", "probe", "sweep", "watch", "alerts:rules"] as const;
export const RUNS = ["smoke", "load", "probe"] as const;

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
  scenario: "all",
  engine: "auto",
  /** How long `watch --every` keeps checking before it stops by itself. */
  watchFor: "24h",
  /** signoff: how old a run may be. */
  maxAge: "24h",
  /** Cleanup's total bound: late answers, webhook jobs, rows. */
  cleanupTimeout: `${CLEANUP_DEFAULTS.totalMs / 1000}s`,
  /** k6-operator, k8s-job: runners per scenario. */
  parallelism: "2",
  /** A target's setup() (the local target starts a stack in it). */
  setupTimeout: `${OPEN_TARGET_DEFAULTS.setupMs / 1000}s`,
} as const;
