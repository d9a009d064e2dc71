import { CLI_DEFAULTS } from "./cliOptions.ts";
import type { DurationReader, OptionGetter } from "./optionValue.ts";

/** `harness signoff`: the run folders to read and where to write. */
export interface SignoffOptions {
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
}

/** Resolves the sign-off flags (a bad --max-age is a problem through `duration`). */
export function signoffOptions(
  flags: ReadonlyMap<string, string | true>,
  get: OptionGetter,
  duration: DurationReader,
): SignoffOptions {
  return {
    smoke: get("smoke").value,
    loads: (get("load").value ?? "").split("\n").filter(Boolean),
    probes: (get("probe").value ?? "").split("\n").filter(Boolean),
    latest: flags.get("latest") === true,
    baseline: get("baseline").value,
    failOnRegression: flags.get("fail-on-regression") === true,
    release: get("release").value,
    out: get("out").value,
    maxAgeMs: duration("max-age", CLI_DEFAULTS.maxAge),
  };
}
