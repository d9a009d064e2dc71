import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { RunResult } from "../lib/result/runResult.ts";
import { fresh, loadResult, passingLoadResult, smokeResult } from "../testkit/sampleResults.ts";

/**
 * The shell in load-signoff.yml, run as GitHub runs it (bash -e, pipefail)
 * with a GITHUB_OUTPUT and GITHUB_STEP_SUMMARY of our own: the target choice
 * and the sign-off step, whose exit decides the job.
 */
const ROOT = resolve(import.meta.dirname, "..");

interface Step {
  name?: string;
  id?: string;
  run?: string;
}

async function stepScript(name: string): Promise<string> {
  const workflow = parse(
    await readFile(join(ROOT, ".github/workflows/load-signoff.yml"), "utf8"),
  ) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const step = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .find((s) => s.name?.startsWith(name));
  if (!step?.run) throw new Error(`load-signoff.yml has no step "${name}" with a script`);
  return step.run;
}

interface StepRun {
  code: number;
  /** stdout and stderr. */
  stdout: string;
  outputs: string;
  summary: string;
}

async function runStep(dir: string, script: string, env: Record<string, string>): Promise<StepRun> {
  const outputs = join(dir, "github_output");
  const summary = join(dir, "github_step_summary");
  await writeFile(outputs, "");
  await writeFile(summary, "");
  const file = join(dir, "step.sh");
  await writeFile(file, script);
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) =>
    execFile(
      "bash",
      ["--noprofile", "--norc", "-eo", "pipefail", file],
      {
        cwd: dir,
        env: {
          PATH: `${join(dir, "bin")}:${process.env.PATH}`,
          HOME: process.env.HOME ?? dir,
          GITHUB_OUTPUT: outputs,
          GITHUB_STEP_SUMMARY: summary,
          ...env,
        },
        timeout: 60_000,
      },
      (error, out, err) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout: `${out}${err}` }),
    ),
  );
  return {
    code,
    stdout,
    outputs: await readFile(outputs, "utf8"),
    summary: await readFile(summary, "utf8"),
  };
}

describe("load-signoff.yml's scripts", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "workflow-steps-"));
    // `./bin/harness.mjs …` in the step runs this checkout's harness in the temp dir.
    await mkdir(join(dir, "bin"));
    await symlink(join(ROOT, "bin/harness.mjs"), join(dir, "bin/harness.mjs"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("chooses the target: auto is staging only with its secrets, staging without them stops the job", async () => {
    const script = await stepScript("Choose the target");
    const local = await runStep(dir, script, {
      REQUESTED_TARGET: "auto",
      STAGING_PASUKURU_URL: "",
    });
    expect([local.code, local.outputs]).toEqual([0, "name=local\n"]);
    expect(local.summary).toContain("local reference stack");
    const staging = await runStep(dir, script, {
      REQUESTED_TARGET: "auto",
      STAGING_PASUKURU_URL: "https://pasukuru.staging.invalid",
    });
    expect([staging.code, staging.outputs]).toEqual([0, "name=staging\n"]);
    const missing = await runStep(dir, script, {
      REQUESTED_TARGET: "staging",
      STAGING_PASUKURU_URL: "",
    });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("::error::target staging, but its secrets are not configured");
    expect(missing.outputs).toBe("");
    const unknown = await runStep(dir, script, {
      REQUESTED_TARGET: "prod",
      STAGING_PASUKURU_URL: "",
    });
    expect(unknown.code).toBe(2);
  });

  it("splits the load: N segments and one agreed start against staging; more than one runner needs staging", async () => {
    const script = await stepScript("Split the load over the runners");
    const split = await runStep(dir, script, { RUNNERS: "3", TARGET: "staging" });
    expect(split.code, split.stdout).toBe(0);
    expect(split.outputs).toMatch(
      /^segments=\[1,2,3\]\nstart-at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/,
    );
    const startAt = Date.parse(split.outputs.split("start-at=")[1]?.trim() ?? "");
    expect(startAt - Date.now()).toBeGreaterThan(5 * 60_000);
    const one = await runStep(dir, script, { RUNNERS: "1", TARGET: "local" });
    expect([one.code, one.outputs.split("\n")[0]]).toEqual([0, "segments=[1]"]);
    const local = await runStep(dir, script, { RUNNERS: "3", TARGET: "local" });
    expect(local.code).toBe(2);
    expect(local.stdout).toContain("need one target they all reach: staging");
    expect((await runStep(dir, script, { RUNNERS: "x", TARGET: "staging" })).code).toBe(2);
  });

  it("merges the runners' shards: a missing one is INCOMPLETE, exit 5", async () => {
    const script = await stepScript("Merge the runners' shards");
    await rm(join(dir, "shards"), { recursive: true, force: true });
    const none = await runStep(dir, script, {});
    expect(none.code).toBe(2);
    await mkdir(join(dir, "shards/runner-1"), { recursive: true });
    const empty = await runStep(dir, script, {});
    expect(empty.code, empty.stdout).toBe(5);
    expect(empty.stdout).toMatch(/INCOMPLETE/);
  });

  it("signs off: exit 0 on GO, 1 on NO-GO, with the release and the baseline when there is one", async () => {
    const script = await stepScript("Sign-off");
    const write = async (sub: string, file: string, value: unknown) => {
      await mkdir(join(dir, sub), { recursive: true });
      // As if it had just run: a sign-off takes no run older than --max-age.
      await writeFile(
        join(dir, sub, file),
        JSON.stringify(file === "summary.json" ? fresh(value as RunResult) : value),
      );
    };
    await write("reports/run/smoke", "summary.json", smokeResult());
    await write("reports/run/load", "summary.json", passingLoadResult(180));
    await write("nightly", "summary.json", passingLoadResult(100));
    const go = await runStep(dir, script, {
      RELEASE: "v2.4.0",
      BASELINE: "nightly",
      FAIL_ON_REGRESSION: "false",
    });
    expect(go.stdout).toContain("GO");
    expect(go.code).toBe(0);
    const signoff = JSON.parse(
      await readFile(join(dir, "reports/run/signoff/signoff.json"), "utf8"),
    );
    expect(signoff.release).toBe("v2.4.0");
    expect(signoff.verdict).toBe("GO");
    expect(signoff.warnings).toEqual([expect.stringContaining("identify p95 100 → 180 ms")]);
    // The same regression decides with fail-on-regression; a breached threshold always does.
    const regression = await runStep(dir, script, {
      RELEASE: "",
      BASELINE: "nightly",
      FAIL_ON_REGRESSION: "true",
    });
    expect(regression.code).toBe(1);
    await write("reports/run/load", "summary.json", loadResult());
    const noGo = await runStep(dir, script, {
      RELEASE: "",
      BASELINE: "",
      FAIL_ON_REGRESSION: "false",
    });
    expect(noGo.code).toBe(1);
    expect(noGo.stdout).toContain("NO-GO");
  });
});
