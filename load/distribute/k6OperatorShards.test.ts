import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/errors.ts";
import { scenarioLines } from "../../lib/report/scenarioLines.ts";
import { runEnvironment } from "../../lib/result/runEnvironment.ts";
import type { RunContext } from "../../lib/result/runResult.ts";
import { mergeShards } from "./mergeShards.ts";

/*
 * A k6-operator run's results as shards (distribute/fixtures/operator3:
 * three runner pods' raw results and summaries, from a real k6 v1.3.0 given
 * the operator's own arguments, and the plan harness k6-operator wrote):
 * merged as one run, or INCOMPLETE.
 */

const root = await mkdtemp(join(tmpdir(), "harness-operator-shards-test-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("k6-operator results (fixtures/operator3)", () => {
  const context = (): RunContext => ({
    suite: "load",
    runId: "load-20261201t000000z-0000000c",
    startedAt: new Date(),
    environment: runEnvironment({}),
  });
  const copy = async (name: string) => {
    const dir = join(root, name);
    await cp(new URL("./fixtures/operator3/", import.meta.url), dir, {
      recursive: true,
    });
    return dir;
  };

  it("merge --k6-plan: every runner pod's raw results, judged as one run", async () => {
    const dir = await copy("whole");
    const merged = await mergeShards([dir], context(), { k6Plan: join(dir, "plan.json") });
    expect(merged.outcome, JSON.stringify(merged.checks)).toBe("pass");
    expect(merged.scenarios[0]?.runners?.map((r) => r.segment.split(" ")[0])).toEqual([
      "1/3",
      "2/3",
      "3/3",
    ]);
    // A pod's CPU is not in its raw results: unknown, never 0%.
    expect(merged.scenarios[0]?.runners?.every((r) => r.cpuPct === undefined)).toBe(true);
    expect(scenarioLines(merged.scenarios[0] as never).join("\n")).toContain("k6 CPU not measured");
  });

  it("INCOMPLETE: a pod that wrote no summary (it did not finish), a missing pod, another plan", async () => {
    const dir = await copy("cut");
    const pods = (await readdir(dir)).filter((f) => f.endsWith(".summary.json")).sort();
    await rm(join(dir, pods[1] as string));
    const unfinished = await mergeShards([dir], context(), { k6Plan: join(dir, "plan.json") });
    expect(unfinished.outcome).toBe("incomplete");
    expect(unfinished.checks.map((c) => c.observed).join()).toMatch(
      /was interrupted: its shard is partial/,
    );
    const gone = await copy("gone");
    await rm(join(gone, (pods[2] as string).replace(".summary.json", ".json.gz")));
    const missing = await mergeShards([gone], context(), { k6Plan: join(gone, "plan.json") });
    expect(missing.checks.map((c) => c.observed).join()).toMatch(/segment 3\/3 .* has no shard/);
    const other = await copy("other");
    const plan = JSON.parse(await readFile(join(other, "plan.json"), "utf8"));
    plan.scenarios[0].model.durationSec += 1;
    await writeFile(join(other, "plan.json"), JSON.stringify(plan));
    const mismatched = await mergeShards([other], context(), { k6Plan: join(other, "plan.json") });
    expect(mismatched.outcome).toBe("incomplete");
    expect(mismatched.checks.map((c) => c.observed).join()).toMatch(/different plans/);
  });

  it("a --k6-plan that is not a plan is exit 2 (the caller's input), never INCOMPLETE, and never echoed", async () => {
    const dir = await copy("notplan");
    const cases: [string, string, RegExp][] = [
      ["summary.json", '{"metrics":{}}', /is not a split run's plan \(no sequence and scenarios\)/],
      [
        "secret.txt",
        "password=hunter2-not-json",
        /is not JSON \(\d+ bytes; its content is not shown\)/,
      ],
      ["missing.json", "", /cannot be read \(ENOENT\)/],
    ];
    for (const [name, text, message] of cases) {
      if (text) await writeFile(join(dir, name), text);
      const error = await mergeShards([dir], context(), { k6Plan: join(dir, name) }).catch(
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(ConfigError);
      expect(String((error as ConfigError).problems), name).toMatch(message);
      expect(String((error as ConfigError).problems)).not.toContain("hunter2");
    }
  });
});
