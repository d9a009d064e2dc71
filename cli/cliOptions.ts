import { CLEANUP_DEFAULTS } from "../lib/cleanup/cleanupRun.ts";
import type { ConfigFileDefaults } from "../lib/config/defineConfig.ts";
import { OPEN_TARGET_DEFAULTS } from "../lib/config/openTarget.ts";
import type { CommandName } from "./commands.ts";

/*
 * The one table of the harness CLI's options: the parser, the precedence and
 * `--help` all read it (cli/commandLine.ts); the commands are cli/commands.ts.
 */

/** The commands that generate manifests for a split run from a target's scenarios. */
const GENERATORS = ["k6-operator", "k8s-job"] as const;

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
const ALL = ["smoke", "load", "probe", "sweep", "watch", "alerts:rules"] as const;
const RUNS = ["smoke", "load", "probe"] as const;

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

/** The one list of options: the parser, the precedence and `--help` all read it. */
export const OPTIONS: readonly OptionSpec[] = [
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
  {
    flag: "scenario",
    takes: "<names>",
    env: "HARNESS_SCENARIO",
    default: CLI_DEFAULTS.scenario,
    description:
      "identify, webhook, sustained, a scenario the target declares (load.scenarios), a comma-separated list of them, or all (every one the target can run, built-in first).",
    commands: ["load", ...GENERATORS],
  },
  {
    flag: "engine",
    takes: "<name>",
    env: "HARNESS_ENGINE",
    default: CLI_DEFAULTS.engine,
    description: "node, k6 (the k6 on PATH, or K6_BIN), or auto (k6 when installed, else node).",
    commands: ["load"],
  },
  {
    flag: "duration",
    takes: "<duration>",
    env: "HARNESS_DURATION",
    description:
      "Each scenario's length, instead of its own (identify 60s, webhook 60s, sustained 10m); at most 2h.",
    commands: ["load", ...GENERATORS],
  },
  {
    flag: "connections",
    takes: "<n>",
    description:
      "Concurrent users of the closed scenarios, instead of their own (identify 1000, webhook 100).",
    commands: ["load", ...GENERATORS],
  },
  {
    flag: "rate",
    takes: "<per second>",
    description: "Arrival rate of the sustained scenario, instead of 10/s.",
    commands: ["load", ...GENERATORS],
  },
  {
    flag: "threshold",
    takes: "<metric{tags}=condition>",
    description:
      'Replaces thresholds, in k6 syntax, e.g. "http_req_duration{scenario:identify,endpoint:identify}=p(95)<400"; give it again (or ";"-separate) for more.',
    commands: ["load", ...GENERATORS],
    repeatable: true,
  },
  {
    flag: "segment",
    takes: "<i/N | a:b | job/N>",
    env: "HARNESS_SEGMENT",
    description:
      "Run only this runner's share of each scenario, and write a shard (needs --shard-dir) for harness merge: i/N is the i-th of N equal segments (k6's (i-1)/N:i/N), a:b a segment of --segment-sequence, job/N the segment of a Kubernetes Indexed Job's JOB_COMPLETION_INDEX.",
    commands: ["load"],
  },
  {
    flag: "segment-sequence",
    takes: "<cuts>",
    env: "HARNESS_SEGMENT_SEQUENCE",
    description:
      "With --segment a:b, the whole's cuts, k6's --execution-segment-sequence (e.g. \"0,1/4,1/2,1\"); default 0,a,b,1.",
    commands: ["load"],
  },
  {
    flag: "shard-dir",
    takes: "<dir>",
    env: "HARNESS_SHARD_DIR",
    description:
      "Write this runner's shard (manifest, histograms, counters; no verdict, no report) here instead of judging; without --segment the runner is the whole (1/1).",
    commands: ["load"],
  },
  {
    flag: "start-at",
    takes: "<time>",
    env: "HARNESS_START_AT",
    description:
      "The agreed start (ISO 8601, e.g. 2026-12-01T20:00:00Z, or epoch seconds): the first scenario waits for it (at most 1 h) so the runners start together; each records how far it started from it.",
    commands: ["load", "k8s-job"],
  },
  {
    flag: "k6-plan",
    takes: "<file>",
    description:
      "A k6-operator run's plan.json (harness k6-operator wrote it): the arguments are then its runners' raw results (<pod>.json.gz beside <pod>.summary.json), or folders of them.",
    commands: ["merge"],
  },
  {
    flag: "shard",
    takes: "<dir>",
    description: "A shard folder to merge; give it once per runner (or list them after merge).",
    commands: ["merge"],
    repeatable: true,
  },
  {
    flag: "once",
    description:
      "One check, then exit (the default; what cron, a systemd timer or a CronJob runs).",
    commands: ["watch"],
  },
  {
    flag: "every",
    takes: "<duration>",
    description:
      "Check again every <duration> (at least 10s, e.g. 5m) until --for has passed or Ctrl-C.",
    commands: ["watch"],
  },
  {
    flag: "for",
    takes: "<duration>",
    default: CLI_DEFAULTS.watchFor,
    description: "With --every: stop by itself after this long (at most 7d).",
    commands: ["watch"],
  },
  {
    flag: "test-notification",
    description:
      "Send one clearly marked test message through every configured notifier; exit 0 only when each delivered it.",
    commands: ["watch"],
  },
  {
    flag: "smoke",
    takes: "<dir>",
    description: "The smoke run's report folder.",
    commands: ["signoff"],
  },
  {
    flag: "load",
    takes: "<dir>",
    description: "A load run's report folder; give it once per run.",
    commands: ["signoff"],
    repeatable: true,
  },
  {
    flag: "probe",
    takes: "<dir>",
    description:
      "A probe run's report folder; give it once per run. A failed or unjudged probe is a NO-GO reason.",
    commands: ["signoff"],
    repeatable: true,
  },
  {
    flag: "latest",
    description: "Use the newest smoke run and the newest load run under reports/ (by run id).",
    commands: ["signoff"],
  },
  {
    flag: "baseline",
    takes: "<dir>",
    description:
      "An earlier sign-off folder (signoff.json) or load run folder to compare p95, req/s and error rates with.",
    commands: ["signoff"],
  },
  {
    flag: "release",
    takes: "<version>",
    description:
      "What is being signed off (a version or tag), shown in the headline and kept in signoff.json.",
    commands: ["signoff"],
  },
  {
    flag: "fail-on-regression",
    description: "A regression over 20% against the baseline is a NO-GO reason, not a warning.",
    commands: ["signoff"],
  },
  {
    flag: "max-age",
    takes: "<duration>",
    default: CLI_DEFAULTS.maxAge,
    description:
      "A run that finished longer ago than this is stale: NO-GO (a sign-off speaks of the deploy as it is now).",
    commands: ["signoff"],
  },
  {
    flag: "out",
    takes: "<dir>",
    description:
      "signoff: where signoff.md, signoff.html and signoff.json go (default reports/signoff-<utc stamp>/); k6-operator, k8s-job: where the manifests go (required).",
    commands: ["signoff", ...GENERATORS],
  },
  {
    flag: "parallelism",
    takes: "<n>",
    default: CLI_DEFAULTS.parallelism,
    description: "How many runners (k6-operator runner pods, Job pods) share each scenario.",
    commands: GENERATORS,
  },
  {
    flag: "name",
    takes: "<name>",
    description:
      "The TestRun's or Job's name (DNS-1123: lowercase letters, digits, -); its ConfigMap, Secret and claim are named after it. Default harness-<utc stamp>.",
    commands: GENERATORS,
  },
  {
    flag: "namespace",
    takes: "<namespace>",
    description: "The Kubernetes namespace the manifests go to (default: kubectl's current one).",
    commands: GENERATORS,
  },
  {
    flag: "image",
    takes: "<image>",
    description:
      "The runner image: k6-operator default grafana/k6:1.3.0; k8s-job needs one (a harness checkout with its dependencies installed).",
    commands: GENERATORS,
  },
  {
    flag: "storage",
    takes: "<size>",
    description:
      "The results claim's size (default 2Gi), e.g. 10Gi for long runs (k6 raw results are about 140 bytes a request, gzipped: 2Gi holds some 15 million).",
    commands: GENERATORS,
  },
  {
    flag: "help",
    description: "Show this help.",
    commands: [...ALL, "signoff", "merge", ...GENERATORS],
  },
];
