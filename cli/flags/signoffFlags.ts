import { CLI_DEFAULTS, GENERATORS, type OptionSpec } from "./optionSpec.ts";

/** The sign-off's options: the runs it reads, the baseline, the release, regressions, age, where it writes. */
export const SIGNOFF_FLAGS: readonly OptionSpec[] = [
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
    takes: "<path>",
    description:
      "signoff: where signoff.md, signoff.html and signoff.json go (default reports/signoff-<utc stamp>/); k6-operator, k8s-job: where the manifests go (required); init: the config file to write (default harness.config.ts).",
    commands: ["signoff", ...GENERATORS, "init"],
  },
];
