import { CLI_DEFAULTS, GENERATORS, type OptionSpec } from "./optionSpec.ts";

/** The load options: scenarios and their overrides, the engine, a runner's split, the merge's inputs. */
export const LOAD_FLAGS: readonly OptionSpec[] = [
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
];
