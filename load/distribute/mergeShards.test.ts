import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LatencyRecorder, latencyFigures } from "../../lib/latencyHistogram.ts";
import { runEnvironment } from "../../lib/result/runEnvironment.ts";
import type { RunContext, RunResult } from "../../lib/result/runResult.ts";
import type { ScenarioResult } from "../../lib/result/scenarioResult.ts";
import { runResultProblems } from "../../lib/result/validateRunResult.ts";
import { buildSignoff } from "../../lib/signoff/signoff.ts";
import { fresh, smokeResult } from "../../testkit/sampleResults.ts";
import { equalSequence, SegmentStripe } from "../executionSegment.ts";
import { commonThresholds, type ScenarioDefinition } from "../scenarios/scenarios.ts";
import { mergeShards } from "./mergeShards.ts";
import { SHARD_FILES, shardPlan, writeShard } from "./shard.ts";

const root = await mkdtemp(join(tmpdir(), "harness-merge-test-"));
afterAll(() => rm(root, { recursive: true, force: true }));

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const DEFINITION: ScenarioDefinition = {
  name: "split",
  description: "a synthetic split run",
  model: { kind: "open", ratePerSec: 100, durationSec: 10, maxInFlight: 50 },
  endpoints: ["a", "b"],
  thresholds: [
    {
      name: "split a p95",
      metric: "http_req_duration",
      tags: { scenario: "split", endpoint: "a" },
      condition: "p(95)<400",
      unit: "ms",
      k6: true,
      hint: "slow",
    },
    ...commonThresholds("split", true),
  ],
};

const TARGET = {
  name: "synthetic",
  production: false,
  services: { curva: { url: "http://127.0.0.1:1" } },
};

const context = (): RunContext => ({
  suite: "load",
  runId: "load-20261201t000000z-0000000a",
  startedAt: new Date(),
  environment: runEnvironment({}),
});

/** N shards of a run whose samples are long-tailed; returns their folders and one recorder per endpoint of every sample. */
async function syntheticRun(
  count: number,
  seed: number,
  tweak: (index: number, definition: ScenarioDefinition) => ScenarioDefinition = (_, d) => d,
) {
  const next = random(seed);
  const sequence = equalSequence(count);
  const union = new Map(DEFINITION.endpoints.map((e) => [e, new LatencyRecorder()]));
  const raw = new Map(DEFINITION.endpoints.map((e) => [e, [] as number[]]));
  const dirs: string[] = [];
  const total = 3_000;
  for (let index = 0; index < count; index++) {
    const segment = { sequence, index };
    const stripe = new SegmentStripe(segment);
    const own = new Map(DEFINITION.endpoints.map((e) => [e, new LatencyRecorder()]));
    for (let m = 0; m < stripe.countBelow(total); m++) {
      const i = stripe.nth(m);
      const endpoint = DEFINITION.endpoints[i % 2] as string;
      // Long-tailed: mostly 1–20 ms, now and then up to 2 s; a runner of its own speed.
      const us = Math.round(
        1_000 + next() * 19_000 + (next() < 0.03 ? next() * 2_000_000 : 0) + index * 37,
      );
      own.get(endpoint)?.record(us);
      union.get(endpoint)?.record(us);
      raw.get(endpoint)?.push(us);
    }
    const scenario: ScenarioResult = {
      name: DEFINITION.name,
      model: { kind: "open" },
      engine: { name: "node", version: "test" },
      durationMs: 10_000,
      endpoints: DEFINITION.endpoints.map((endpoint) => {
        const r = own.get(endpoint) as LatencyRecorder;
        return {
          endpoint,
          ...latencyFigures(r),
          status2xx: r.count,
          status4xx: 0,
          status5xx: 0,
          errors: 0,
          timeouts: 0,
          unexpected: 0,
          latency: r.encode(),
          requestsPerSec: r.count / 10,
        };
      }),
      dropped: 0,
      interrupted: 0,
      series: [
        {
          second: 1,
          requests: 10,
          p50Ms: 1,
          p95Ms: 2,
          status5xx: 0,
          errors: 0,
          dropped: 0,
          endpoints: {
            a: { requests: 6, status5xx: 0, errors: 0, overLimit: index },
            b: { requests: 4, status5xx: 1, errors: 0, overLimit: 0 },
          },
        },
      ],
      pools: [],
      generator: { eventLoopLagP99Ms: 1, eventLoopLagMaxMs: 2, cpuPct: 10, generatorBound: false },
    };
    for (const r of own.values()) r.destroy();
    const dir = join(root, `s${seed}-${count}-${index}`);
    const result = {
      runId: `load-20261201t000000z-${index.toString(16).padStart(8, "0")}`,
      startedAt: new Date(Date.now() - 20_000).toISOString(),
      finishedAt: new Date(Date.now() - 10_000).toISOString(),
      outcome: "pass",
      scenarios: [scenario],
      cleanup: { status: "done", detail: "removed", durationMs: 1 },
      target: { name: TARGET.name, production: false, versions: {} },
    } as unknown as RunResult;
    await writeShard(dir, {
      plan: shardPlan(TARGET, "node", [tweak(index, DEFINITION)], segment),
      segment,
      result,
      scenarioStarts: new Map(),
    });
    dirs.push(dir);
  }
  return { dirs, union, raw };
}

describe("harness merge", () => {
  it("adds N = 2..8 shards exactly: every percentile of one histogram of the union, raw count, sum, min and max", async () => {
    for (let count = 2; count <= 8; count++) {
      const { dirs, union, raw } = await syntheticRun(count, count * 7);
      const merged = await mergeShards(dirs, context());
      expect(merged.outcome).not.toBe("incomplete");
      const scenario = merged.scenarios[0] as ScenarioResult;
      expect(scenario.runners).toHaveLength(count);
      for (const endpoint of DEFINITION.endpoints) {
        const e = scenario.endpoints.find((x) => x.endpoint === endpoint);
        const whole = LatencyRecorder.decode(
          e?.latency as NonNullable<NonNullable<typeof e>["latency"]>,
        );
        const one = union.get(endpoint) as LatencyRecorder;
        for (let p = 0; p <= 100; p += 0.5) expect(whole.percentileUs(p)).toBe(one.percentileUs(p));
        for (const p of [99.9, 99.99, 99.999])
          expect(whole.percentileUs(p)).toBe(one.percentileUs(p));
        const values = raw.get(endpoint) as number[];
        expect(whole.count).toBe(values.length);
        expect(whole.sumUs).toBe(values.reduce((a, b) => a + b, 0));
        expect(whole.minUs).toBe(Math.min(...values));
        expect(whole.maxUs).toBe(Math.max(...values));
        whole.destroy();
      }
      // The threshold is judged on the whole: its observed p95 is the union's.
      const p95 = merged.thresholds.find((t) => t.name === "split a p95");
      expect(p95?.observed).toBeCloseTo(
        (union.get("a") as LatencyRecorder).percentileUs(95) / 1000,
        3,
      );
      expect(merged.scenarios[0]?.endpoints.reduce((s, e) => s + e.requests, 0)).toBe(3_000);
      // Each second's endpoints add up, so a pool's harm is still told apart by endpoint.
      expect(merged.scenarios[0]?.series[0]?.endpoints).toEqual({
        a: { requests: 6 * count, status5xx: 0, errors: 0, overLimit: (count * (count - 1)) / 2 },
        b: { requests: 4 * count, status5xx: count, errors: 0, overLimit: 0 },
      });
      for (const r of union.values()) r.destroy();
    }
  });

  it("says INCOMPLETE, never a verdict, for a missing, duplicated, partial or mismatched shard", async () => {
    const { dirs } = await syntheticRun(3, 101);
    const incomplete = async (shards: string[]) => {
      const merged = await mergeShards(shards, context());
      expect(merged.outcome).toBe("incomplete");
      expect(merged.thresholds).toEqual([]);
      return merged.checks.map((c) => c.observed).join("\n");
    };
    expect(await incomplete([dirs[0] as string, dirs[2] as string])).toMatch(
      /segment 2\/3 \(1\/3:2\/3\) has no shard/,
    );
    expect(await incomplete([...dirs, dirs[1] as string])).toMatch(
      /segment 2\/3 .* is in 2 shards/,
    );
    expect(await incomplete([...dirs, join(root, "nowhere")])).toMatch(/has no manifest.json/);
    // A runner given another duration: another plan.
    const other = await syntheticRun(3, 102, (index, d) =>
      index === 1
        ? { ...d, model: { ...d.model, durationSec: 20 } as ScenarioDefinition["model"] }
        : d,
    );
    expect(await incomplete(other.dirs)).toMatch(/2 different plans .* differ in: scenarios/);
    // Shards of a 2-way split given with a 3-way one.
    const two = await syntheticRun(2, 103);
    expect(await incomplete([...dirs.slice(0, 2), two.dirs[1] as string])).toMatch(
      /different plans/,
    );
  });

  it("says INCOMPLETE for shards of one plan that did not run together", async () => {
    const { dirs } = await syntheticRun(2, 106);
    const { readFile, writeFile } = await import("node:fs/promises");
    const path = join(dirs[1] as string, SHARD_FILES.manifest);
    const manifest = JSON.parse(await readFile(path, "utf8"));
    const dayLater = (iso: string) => new Date(Date.parse(iso) + 86_400_000).toISOString();
    await writeFile(
      path,
      JSON.stringify({
        ...manifest,
        startedAt: dayLater(manifest.startedAt),
        finishedAt: dayLater(manifest.finishedAt),
      }),
    );
    const merged = await mergeShards(dirs, context());
    expect(merged.outcome).toBe("incomplete");
    expect(merged.checks[0]?.observed).toMatch(/did not run together/);
  });

  it("says INCOMPLETE, not a crash, for a shard edited or cut by hand", async () => {
    const { readFile, writeFile } = await import("node:fs/promises");
    const { dirs } = await syntheticRun(2, 107);
    const manifestPath = join(dirs[0] as string, SHARD_FILES.manifest);
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    await writeFile(manifestPath, JSON.stringify({ ...manifest, plan: undefined }));
    expect((await mergeShards(dirs, context())).checks[0]?.observed).toMatch(/no plan/);
    const again = await syntheticRun(2, 108);
    const scenariosPath = join(again.dirs[1] as string, SHARD_FILES.scenarios);
    const scenarios = JSON.parse(await readFile(scenariosPath, "utf8"));
    scenarios[0].endpoints[0].latency.histogram = "not-a-histogram";
    await writeFile(scenariosPath, JSON.stringify(scenarios));
    const cut = await mergeShards(again.dirs, context());
    expect(cut.outcome).toBe("incomplete");
    expect(cut.checks[0]?.observed).toMatch(/histogram cannot be read/);
    scenarios[0].endpoints[0].latency = JSON.parse(
      await readFile(join(again.dirs[0] as string, SHARD_FILES.scenarios), "utf8"),
    )[0].endpoints[0].latency;
    scenarios[0].endpoints[0].errors = -3;
    await writeFile(scenariosPath, JSON.stringify(scenarios));
    expect((await mergeShards(again.dirs, context())).checks[0]?.observed).toMatch(
      /errors is -3, not a count/,
    );
  });

  it("says INCOMPLETE, naming the runner and the field, for a shard whose counters disagree with its histogram", async () => {
    const { readFile, writeFile } = await import("node:fs/promises");
    const cases: [string, (e: Record<string, unknown>) => void, RegExp][] = [
      [
        "requests ×10",
        (e) => {
          e.requests = (e.requests as number) * 10;
          e.status2xx = (e.status2xx as number) * 10;
        },
        /requests is \d+ but its latency histogram holds \d+ answers/,
      ],
      [
        "2xx above requests",
        (e) => {
          e.status2xx = (e.requests as number) + 45;
        },
        /status2xx \+ status4xx \+ status5xx is \d+, more than its \d+ requests/,
      ],
    ];
    for (const [i, [name, edit, message]] of cases.entries()) {
      const { dirs } = await syntheticRun(2, 120 + i);
      const scenariosPath = join(dirs[1] as string, SHARD_FILES.scenarios);
      const scenarios = JSON.parse(await readFile(scenariosPath, "utf8"));
      // The endpoint this runner answered (a segment may hold none of another's).
      edit(scenarios[0].endpoints.find((e: { requests: number }) => e.requests > 0));
      await writeFile(scenariosPath, JSON.stringify(scenarios));
      const merged = await mergeShards(dirs, context());
      expect(merged.outcome, name).toBe("incomplete");
      expect(merged.checks[0]?.observed, name).toMatch(message);
      expect(merged.checks[0]?.observed, name).toMatch(/runner 2\/2/);
    }
    // A histogram of count 0 beside counters that say answers came.
    const { dirs } = await syntheticRun(2, 130);
    const scenariosPath = join(dirs[0] as string, SHARD_FILES.scenarios);
    const scenarios = JSON.parse(await readFile(scenariosPath, "utf8"));
    const { LatencyRecorder } = await import("../../lib/latencyHistogram.ts");
    const empty = new LatencyRecorder();
    scenarios[0].endpoints.find((e: { requests: number }) => e.requests > 0).latency =
      empty.encode();
    empty.destroy();
    await writeFile(scenariosPath, JSON.stringify(scenarios));
    const merged = await mergeShards(dirs, context());
    expect(merged.outcome).toBe("incomplete");
    expect(merged.checks[0]?.observed).toMatch(/its latency histogram holds 0 answers/);
  });

  it("says INCOMPLETE for a runner that was interrupted", async () => {
    const { dirs } = await syntheticRun(2, 104);
    const { readFile, writeFile } = await import("node:fs/promises");
    const path = join(dirs[1] as string, SHARD_FILES.manifest);
    const manifest = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...manifest, exitStatus: "interrupted" }));
    const merged = await mergeShards(dirs, context());
    expect(merged.outcome).toBe("incomplete");
    expect(merged.checks[0]?.observed).toMatch(/was interrupted: its shard is partial/);
  });

  it("a merged run is a load run the sign-off reads (GO on evidence); an INCOMPLETE one is a NO-GO", async () => {
    const { dirs } = await syntheticRun(3, 105);
    const merged = await mergeShards(dirs, context());
    expect(runResultProblems(merged)).toEqual([]);
    const smoke = fresh(
      smokeResult({ target: { name: TARGET.name, production: false, versions: {} } }),
    );
    const go = buildSignoff({ smoke, loads: [merged], failOnRegression: false });
    expect(go.reasons).toEqual([]);
    expect(go.verdict).toBe("GO");
    const incomplete = await mergeShards(dirs.slice(1), context());
    expect(runResultProblems(incomplete)).toEqual([]);
    const nogo = buildSignoff({ smoke, loads: [incomplete], failOnRegression: false });
    expect(nogo.verdict).toBe("NO-GO");
    expect(nogo.reasons.join("\n")).toMatch(/INCOMPLETE merge/);
  });
});
