import { describe, expect, it } from "vitest";
import { CLI_DEFAULTS, configPath, OPTIONS, parseArgs, resolveOptions } from "./commandLine.ts";
import { helpText } from "./helpText.ts";

describe("parseArgs", () => {
  it("reads a command, valued options in both spellings, and switches", () => {
    const parsed = parseArgs(["smoke", "--target", "staging", "--timeout=5s", "--keep-data"]);
    expect(parsed.command).toBe("smoke");
    expect(parsed.problems).toEqual([]);
    expect(Object.fromEntries(parsed.flags)).toEqual({
      target: "staging",
      timeout: "5s",
      "keep-data": true,
    });
  });

  it("reports every problem: unknown command, option of another command, missing value, stray value", () => {
    expect(parseArgs(["smoek"]).problems).toEqual([
      '"smoek" is not a command. Commands: smoke, load, probe, sweep, watch, alerts:rules, signoff, k6-operator, k8s-job, init, merge.',
    ]);
    const parsed = parseArgs([
      "smoke",
      "--older-than",
      "1d",
      "--target",
      "--keep-data=yes",
      "extra",
    ]);
    expect(parsed.problems).toEqual([
      expect.stringContaining("--older-than is not an option of smoke"),
      "--target needs a value <name>.",
      '--keep-data is a switch and takes no value; drop "=yes".',
      'Unexpected argument "extra". Options start with --; see --help.',
    ]);
  });
});

describe("split runs", () => {
  const split = (argv: string[], env: Record<string, string> = {}) =>
    resolveOptions(parseArgs(["load", ...argv]), env, {});

  it("reads i/N, a:b of a sequence, and job/N from an Indexed Job's JOB_COMPLETION_INDEX", () => {
    const equal = split(["--segment", "2/3", "--shard-dir", "d"]);
    expect(equal.problems).toEqual([]);
    expect(equal.options.split.segment?.index).toBe(1);
    const job = split(["--segment", "job/4", "--shard-dir", "d"], { JOB_COMPLETION_INDEX: "3" });
    expect(job.options.split.segment?.index).toBe(3);
    expect(job.options.split.segment?.sequence).toHaveLength(5);
    const cut = split([
      "--segment",
      "1/4:1/2",
      "--segment-sequence",
      "0,1/4,1/2,1",
      "--shard-dir",
      "d",
    ]);
    expect(cut.options.split.segment?.index).toBe(1);
    // A shard without a segment is the whole: 1/1.
    expect(split(["--shard-dir", "d"]).options.split.segment?.sequence).toHaveLength(2);
  });

  it("names what is wrong: no shard folder, no job index, a start too far off or not a time", () => {
    expect(split(["--segment", "2/3"]).problems.join()).toMatch(
      /needs --shard-dir: .* harness merge/,
    );
    expect(split(["--segment", "job/3", "--shard-dir", "d"]).problems.join()).toMatch(
      /JOB_COMPLETION_INDEX .* not set/,
    );
    expect(split(["--segment", "4/3", "--shard-dir", "d"]).problems.join()).toMatch(/1 ≤ i ≤ N/);
    const far = new Date(Date.now() + 2 * 3_600_000).toISOString();
    expect(split(["--start-at", far]).problems.join()).toMatch(/more than 60 minutes away/);
    expect(split(["--start-at", "2019-01-01T00:00:00Z"]).problems.join()).toMatch(
      /was more than 60 minutes ago: the runners would not start together/,
    );
    const late = new Date(Date.now() - 30_000).toISOString();
    expect(split(["--start-at", late]).problems).toEqual([]);
    expect(split(["--start-at", "tomorrow"]).problems.join()).toMatch(/not a time/);
    expect(split(["--start-at", "2026-12-01T20:00:00"]).problems.join()).toMatch(/with a zone/);
    expect(split(["--segment-sequence", "0,1/2,1"]).problems.join()).toMatch(/without --segment/);
  });

  it("merge takes its shard folders as arguments", () => {
    const parsed = parseArgs(["merge", "a", "b", "--shard", "c"]);
    expect(parsed.problems).toEqual([]);
    expect(resolveOptions(parsed, {}, {}).options.shards).toEqual(["a", "b", "c"]);
  });
});

describe("resolveOptions", () => {
  const parsed = (argv: string[]) => parseArgs(["smoke", ...argv]);

  it("takes flag over env over config file over default", () => {
    const env = { HARNESS_TIMEOUT: "3s", HARNESS_TARGET: "staging" };
    const file = { timeout: "4s", target: "qa", phase: "3" };
    expect(resolveOptions(parsed(["--timeout", "2s"]), env, file).options).toMatchObject({
      timeoutMs: 2_000,
      target: "staging",
      phase: 3,
    });
    expect(resolveOptions(parsed([]), {}, {}).options).toMatchObject({
      timeoutMs: 10_000,
      target: CLI_DEFAULTS.target,
      phase: 2,
      olderThanMs: 86_400_000,
      keepData: false,
    });
  });

  it("names where a bad value came from", () => {
    const { problems } = resolveOptions(parsed([]), { HARNESS_PHASE: "three" }, { timeout: "10" });
    expect(problems).toEqual([
      'HARNESS_PHASE="three" is not a phase. Use a number from 1 to 9 (3 adds the follower check).',
      'config defaults.timeout="10" is not a duration. Use a number with ms, s, m, h or d, e.g. 10s or 24h.',
    ]);
  });

  it("finds the config file from the flag, then the env", () => {
    expect(configPath(parsed(["--config", "/tmp/a.ts"]), { HARNESS_CONFIG: "b.ts" })).toBe(
      "/tmp/a.ts",
    );
    expect(configPath(parsed([]), { HARNESS_CONFIG: "b.ts" })).toBe("b.ts");
    expect(configPath(parsed([]), {})).toBe(CLI_DEFAULTS.config);
  });
});

describe("helpText", () => {
  it("lists exactly the options the parser accepts for each command", () => {
    for (const command of ["smoke", "load", "sweep", "signoff"] as const) {
      const help = helpText(command);
      const listed = [...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
      expect(listed).toEqual(
        OPTIONS.filter((o) => o.commands.includes(command)).map((o) => o.flag),
      );
      for (const flag of listed)
        expect(parseArgs([command, `--${flag}`]).problems.join()).not.toContain("is not an option");
    }
  });
});

describe("resolveOptions for signoff", () => {
  it("keeps every --load, in order", () => {
    const { options, problems } = resolveOptions(
      parseArgs(["signoff", "--smoke", "s", "--load", "a", "--load", "b", "--fail-on-regression"]),
      {},
      {},
    );
    expect(problems).toEqual([]);
    expect(options.signoff).toMatchObject({
      smoke: "s",
      loads: ["a", "b"],
      failOnRegression: true,
    });
  });
});

describe("resolveOptions for load", () => {
  const load = (argv: string[], env: Record<string, string> = {}) =>
    resolveOptions(parseArgs(["load", ...argv]), env, {});

  it("reads scenario, engine, duration, connections, rate and thresholds", () => {
    const { options, problems } = load([
      "--scenario",
      "identify",
      "--engine",
      "node",
      "--duration",
      "90s",
      "--connections",
      "200",
      "--rate",
      "2.5",
      "--threshold",
      "http_req_duration{scenario:identify,endpoint:identify}=p(95)<400; http_5xx{scenario:identify}=rate==0",
    ]);
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      scenarios: ["identify"],
      engine: "node",
      durationSec: 90,
      connections: 200,
      ratePerSec: 2.5,
      thresholds: {
        "http_req_duration{scenario:identify,endpoint:identify}": "p(95)<400",
        "http_5xx{scenario:identify}": "rate==0",
      },
    });
    expect(load([]).options).toMatchObject({
      // Resolved against the target's own scenarios once its profile is known.
      scenarios: ["all"],
      engine: "auto",
      durationSec: undefined,
    });
  });

  it("names every bad value and where it came from", () => {
    const { problems } = load(
      ["--scenario", "Soak!", "--duration", "3h", "--connections", "1.5", "--threshold", "p95<400"],
      { HARNESS_ENGINE: "wrk" },
    );
    expect(problems).toEqual([
      '--scenario="Soak!" is not a scenario. Use identify, webhook, sustained, a scenario the target declares, a comma-separated list of them, or all.',
      'HARNESS_ENGINE="wrk" is not an engine. Use auto, node, k6.',
      '--duration="3h" is not a load duration. Use 1s to 2h, e.g. 30s or 10m.',
      '--threshold: "p95<400" is not metric{tags}=condition, e.g. http_req_duration{scenario:identify,endpoint:identify}=p(95)<400.',
      '--connections="1.5" is not a number of connections. Use a whole number from 1 to 10000.',
    ]);
  });
});
