import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../lib/result/runResult.ts";
import { runHarness } from "../testkit/runHarness.ts";
import { fresh, passingLoadResult, smokeResult } from "../testkit/sampleResults.ts";
import { inTempDir } from "../testkit/tempDir.ts";

/*
 * GO needs positive evidence from every run it reads. One row per rule: the
 * sign-off given runs that lack it says NO-GO (exit 1), or exit 2 for input
 * it cannot read, naming the cause; never GO, never exit 4.
 */

type Runs = { smoke: unknown; loads: unknown[]; sameFolderTwice?: boolean };

const smoke = () => fresh(smokeResult());
const load = () => fresh(passingLoadResult());

function withLoad(edit: (run: RunResult) => void): RunResult {
  const run = load();
  edit(run);
  return run;
}

function firstEndpoint(run: RunResult) {
  const e = run.scenarios[0]?.endpoints[0];
  if (!e) throw new Error("the sample has no endpoint");
  return e;
}

const ROWS: { rule: string; runs: () => Runs; code: 1 | 2; reason: RegExp }[] = [
  {
    rule: "a smoke with no checks",
    runs: () => ({ smoke: { ...smoke(), checks: [] }, loads: [load()] }),
    code: 1,
    reason: /Smoke run \S+ has no checks: nothing was judged/,
  },
  {
    rule: "outcome checksFailed though every check passed",
    runs: () => ({ smoke: { ...smoke(), outcome: "checksFailed" }, loads: [load()] }),
    code: 1,
    reason: /Smoke run \S+ ended "checksFailed", not "pass", though every verdict in it passed/,
  },
  {
    rule: "a load with no thresholds",
    runs: () => ({ smoke: smoke(), loads: [{ ...load(), thresholds: [] }] }),
    code: 1,
    reason: /Load run \S+ has no thresholds: nothing was judged/,
  },
  {
    rule: "a threshold with status error",
    runs: () => ({
      smoke: smoke(),
      loads: [
        withLoad((r) => {
          const t = r.thresholds[0];
          if (t) Object.assign(t, { status: "error", observed: null, hint: "No evidence: x" });
          r.outcome = "checksFailed";
        }),
      ],
    }),
    code: 1,
    reason: /Threshold .* could not be judged: No evidence: x/,
  },
  {
    rule: "an endpoint with zero requests",
    runs: () => ({
      smoke: smoke(),
      loads: [withLoad((r) => Object.assign(firstEndpoint(r), { requests: 0, errors: 0 }))],
    }),
    code: 1,
    reason: /identify identify sent no request/,
  },
  {
    rule: "a negative latency",
    runs: () => ({
      smoke: smoke(),
      loads: [withLoad((r) => Object.assign(firstEndpoint(r), { p95Ms: -4 }))],
    }),
    code: 1,
    reason: /has impossible latencies \(p95Ms -4\)/,
  },
  {
    rule: "a null latency (does not conform)",
    runs: () => ({
      smoke: smoke(),
      loads: [withLoad((r) => Object.assign(firstEndpoint(r), { p95Ms: null }))],
    }),
    code: 2,
    reason:
      /summary\.json: does not match the RunResult v2 schema .*\/scenarios\/0\/endpoints\/0\/p95Ms must be number/,
  },
  {
    rule: "an interrupted run",
    runs: () => ({ smoke: { ...smoke(), outcome: "interrupted" }, loads: [load()] }),
    code: 1,
    reason: /smoke run \S+ was interrupted before it finished/,
  },
  {
    rule: "runs of two target versions",
    runs: () => ({
      smoke: smoke(),
      loads: [
        withLoad((r) => {
          r.target = { ...r.target, versions: { pasukuru: "2.4.0", curva: "reference-1.0.0" } };
        }),
      ],
    }),
    code: 1,
    reason: /The runs measured different builds of the target/,
  },
  {
    rule: "a stale smoke",
    runs: () => ({ smoke: fresh(smokeResult(), 30 * 3_600_000), loads: [load()] }),
    code: 1,
    reason: /Smoke run \S+ finished 30\.0 h before this sign-off, more than --max-age \(24\.0 h\)/,
  },
  {
    rule: "the same folder twice",
    runs: () => ({ smoke: smoke(), loads: [load()], sameFolderTwice: true }),
    code: 2,
    reason: /is given twice/,
  },
  {
    rule: "a summary missing checks",
    runs: () => {
      const { checks: _checks, ...rest } = smoke();
      return { smoke: rest, loads: [load()] };
    },
    code: 2,
    reason: /must have required property 'checks'/,
  },
];

describe("the sign-off fails closed: GO needs evidence from every run", () => {
  it("passes the control: fresh, complete runs are GO (exit 0)", async () => {
    await inTempDir(async (dir) => {
      const run = await signoff(dir, { smoke: smoke(), loads: [load()] });
      expect(run.code, run.stdout + run.stderr).toBe(0);
    });
  });

  it.each(ROWS)("$rule: exit $code, never GO", async ({ runs, code, reason }) => {
    await inTempDir(async (dir) => {
      const run = await signoff(dir, runs());
      expect(run.code, run.stdout + run.stderr).toBe(code);
      expect(run.stdout + run.stderr).toMatch(reason);
      expect(run.stdout).not.toMatch(/✅ GO/);
    });
  });
});

async function signoff(dir: string, runs: Runs) {
  const write = async (name: string, value: unknown) => {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, "summary.json"), JSON.stringify(value));
    return folder;
  };
  const smokeDir = await write("smoke", runs.smoke);
  const loadDirs = await Promise.all(runs.loads.map((l, i) => write(`load-${i}`, l)));
  if (runs.sameFolderTwice) loadDirs.push(loadDirs[0] as string);
  return runHarness([
    "signoff",
    "--smoke",
    smokeDir,
    ...loadDirs.flatMap((d) => ["--load", d]),
    "--out",
    join(dir, "out"),
  ]);
}
