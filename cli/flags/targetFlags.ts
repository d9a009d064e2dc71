import { ALL, CLI_DEFAULTS, GENERATORS, type OptionSpec, RUNS } from "./optionSpec.ts";

/** The options of every run: the target, its config, bounds, reports, test data and production. */
export const TARGET_FLAGS: readonly OptionSpec[] = [
  {
    flag: "target",
    takes: "<name>",
    env: "HARNESS_TARGET",
    fromConfig: "target",
    default: CLI_DEFAULTS.target,
    description: "Target profile from the config file.",
    commands: [...ALL, ...GENERATORS],
  },
  {
    flag: "config",
    takes: "<file>",
    env: "HARNESS_CONFIG",
    default: CLI_DEFAULTS.config,
    description: "Config file to load; may live anywhere.",
    commands: [...ALL, ...GENERATORS],
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
    description:
      "How long the effects of the payment may take to appear (smoke), or a processed event to show in the read-back (probe); e.g. 500ms, 10s, 1m.",
    commands: ["smoke", "probe"],
  },
  {
    flag: "request-timeout",
    takes: "<duration>",
    env: "HARNESS_REQUEST_TIMEOUT",
    fromConfig: "requestTimeout",
    default: CLI_DEFAULTS.requestTimeout,
    description:
      "How long one HTTP call may take (smoke: identify, test helpers, token minting; load: minting test users; watch: each scrape, query and notification); separate from --timeout.",
    commands: [...RUNS, "watch", "k6-operator"],
  },
  {
    flag: "report-dir",
    takes: "<dir>",
    env: "HARNESS_REPORT_DIR",
    fromConfig: "reportDir",
    description:
      "Where summary.json, junit.xml, report.md and report.html go (default reports/<run id>/, e.g. reports/smoke-20261123t003224z-a1b2c3d4/).",
    commands: [...RUNS, "merge"],
  },
  {
    flag: "cleanup-timeout",
    takes: "<duration>",
    env: "HARNESS_CLEANUP_TIMEOUT",
    default: CLI_DEFAULTS.cleanupTimeout,
    description:
      "The whole cleanup's bound (late answers, webhook jobs, rows); what it could not remove is named with the sweep that removes it. After Ctrl-C the process is gone within this plus 10 s.",
    commands: RUNS,
  },
  {
    flag: "setup-timeout",
    takes: "<duration>",
    env: "HARNESS_SETUP_TIMEOUT",
    default: CLI_DEFAULTS.setupTimeout,
    description:
      "How long the target's setup() may take (the local target starts a stack); past it, exit 2 naming the config file.",
    commands: [...ALL, ...GENERATORS],
  },
  {
    flag: "keep-data",
    description: "Keep what the run created (no cleanup), for inspection.",
    commands: RUNS,
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
    // The watch and the rules file only read the target.
    commands: ["smoke", "load", "probe", "sweep", ...GENERATORS],
  },
  {
    flag: "only",
    takes: "<ids>",
    description: "probe: run only these probes, comma-separated (e.g. W2,W5); all by default.",
    commands: ["probe"],
  },
];
