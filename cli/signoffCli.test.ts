import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../lib/result/runResult.ts";
import { runHarness as harness } from "../testkit/runHarness.ts";
import {
  failingProbeResult,
  fresh,
  loadResult,
  passingLoadResult,
  smokeResult,
} from "../testkit/sampleResults.ts";

let dir = "";

async function runDir(name: string, result: RunResult): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  // As if it had just run: a sign-off takes no run older than --max-age.
  await writeFile(join(folder, "summary.json"), JSON.stringify(fresh(result)));
  return folder;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "signoff-cli-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("harness signoff as a process", () => {
  it("NO-GO (exit 1) names the breached threshold first, and writes signoff.md and signoff.json", async () => {
    const smoke = await runDir("smoke", smokeResult());
    const load = await runDir("load", loadResult());
    const out = join(dir, "out");
    const run = await harness(["signoff", "--smoke", smoke, "--load", load, "--out", out]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout.split("\n")[0]).toMatch(/^# ❌ NO-GO: local/);
    expect(run.stdout).toContain(
      "- Threshold identify p95 breached: http_req_duration{scenario:identify} must be p(95)<500; observed 812.4 ms",
    );
    const signoff = JSON.parse(await readFile(join(out, "signoff.json"), "utf8")) as {
      verdict: string;
    };
    expect(signoff.verdict).toBe("NO-GO");
    expect(await readFile(join(out, "signoff.md"), "utf8")).toBe(
      run.stdout.slice(0, run.stdout.lastIndexOf("\nWritten to")),
    );
  });

  it("GO (exit 0) with two load runs given as repeated --load", async () => {
    const passing = loadResult();
    const green = {
      ...passing,
      outcome: "pass" as const,
      thresholds: passing.thresholds.map((t) => ({ ...t, status: "passed" as const })),
    };
    const smoke = await runDir("smoke-ok", smokeResult());
    const a = await runDir("load-a", { ...green, runId: "load-20251122t192530z-aaaaaaaa" });
    const b = await runDir("load-b", { ...green, runId: "load-20251122t192531z-bbbbbbbb" });
    const run = await harness([
      "signoff",
      "--smoke",
      smoke,
      "--load",
      a,
      "--load",
      b,
      "--out",
      join(dir, "out-go"),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^# ✅ GO: local/);
    expect(run.stdout).toContain("load-20251122t192530z-aaaaaaaa");
    expect(run.stdout).toContain("load-20251122t192531z-bbbbbbbb");
  });

  it("--probe: a failed probe is a NO-GO reason (exit 1) though smoke and load passed; a smoke folder as --probe is exit 2", async () => {
    const smoke = await runDir("smoke-for-probe", smokeResult());
    const load = await runDir("load-for-probe", passingLoadResult());
    const probe = await runDir("probe", failingProbeResult());
    const run = await harness([
      "signoff",
      "--smoke",
      smoke,
      "--load",
      load,
      "--probe",
      probe,
      "--out",
      join(dir, "out-probe"),
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(
      "- Probe W2 unsigned (orders) failed: expected 4xx, not processed",
    );
    expect(run.stdout).toContain("## Probes");
    const wrong = await harness(["signoff", "--smoke", smoke, "--load", load, "--probe", smoke]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("is given twice");
    const asProbe = await runDir("smoke-as-probe", smokeResult());
    const other = await harness(["signoff", "--smoke", smoke, "--load", load, "--probe", asProbe]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `--probe ${asProbe}: that is a smoke run; --probe takes a probe run.`,
    );
  });

  it("bad input is exit 2, naming every problem", async () => {
    const smokeAsLoad = await runDir("smoke-again", smokeResult());
    const run = await harness(["signoff", "--load", smokeAsLoad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--smoke <dir> is required");
    expect(run.stderr).toContain(
      `--load ${smokeAsLoad}: that is a smoke run; --load takes a load run.`,
    );
  });
});
