import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { runEnvironment } from "../../lib/result/runEnvironment.ts";
import type { RunContext } from "../../lib/result/runResult.ts";
import { k6RawUnion } from "../../testkit/k6RawUnion.ts";
import { mergeShards } from "../distribute/mergeShards.ts";
import type { ScenarioDefinition } from "../scenarios/scenarios.ts";
import { k6RawFile, rawPercentile, readK6Raw } from "./k6Raw.ts";

/*
 * k6 runners' raw results (fixtures/split3: three shards a real k6 v1.3.0
 * wrote, `harness load --engine k6 --segment i/3 --shard-dir …`, 20/s for
 * 2 s against a loopback server): read, merged raw-exact, and INCOMPLETE
 * when a runner is missing or its raw file is cut short. No k6 is needed.
 */

const FIXTURES = join(import.meta.dirname, "fixtures", "split3");
const INDEXED = { name: "indexed", endpoints: ["work"] } as unknown as ScenarioDefinition;
const root = await mkdtemp(join(tmpdir(), "harness-k6raw-test-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const context = (): RunContext => ({
  suite: "load",
  runId: "load-20261201t000000z-0000000b",
  startedAt: new Date(),
  environment: runEnvironment({}),
});

async function shards(name: string): Promise<string[]> {
  const dirs = [1, 2, 3].map((i) => join(root, name, `runner-${i}`));
  for (const [i, dir] of dirs.entries())
    await cp(join(FIXTURES, `runner-${i + 1}`), dir, { recursive: true });
  return dirs;
}

describe("k6 raw results", () => {
  it("reads statuses, latencies and the runner's own samples", async () => {
    const raw = await readK6Raw(join(FIXTURES, "runner-1", k6RawFile("indexed")), [INDEXED], "k6", {
      keepSamples: true,
    });
    const work = raw.scenarios[0]?.endpoints[0];
    expect(work?.requests).toBeGreaterThan(0);
    expect(work?.status2xx).toBe(work?.requests);
    expect(raw.samples?.indexed?.work).toHaveLength(work?.requests ?? -1);
    expect(work?.latency?.count).toBe(work?.requests);
    // Nothing in a raw file measures the runner's own lag or CPU: absent, never 0.
    expect(raw.scenarios[0]?.generator).toEqual({ generatorBound: false });
  });

  it("merges k6 runners raw-exact: the threshold's p95 is k6's p95 of every runner's samples", async () => {
    const dirs = await shards("whole");
    const merged = await mergeShards(dirs, context());
    expect(merged.outcome).toBe("pass");
    const sorted = await k6RawUnion(dirs, "indexed", "work");
    const p95 = merged.thresholds.find((t) => t.metric.startsWith("http_req_duration"));
    expect(p95?.observed).toBeCloseTo(rawPercentile(sorted, 95), 3);
    expect(merged.scenarios[0]?.endpoints[0]?.p99Ms).toBeCloseTo(rawPercentile(sorted, 99), 6);
    expect(merged.scenarios[0]?.endpoints[0]?.requests).toBe(sorted.length);
    expect(merged.scenarios[0]?.engine.name).toBe("k6");
  });

  it("is INCOMPLETE when a runner is missing, or a raw file is cut short", async () => {
    const dirs = await shards("cut");
    const missing = await mergeShards([dirs[0] as string, dirs[2] as string], context());
    expect(missing.outcome).toBe("incomplete");
    const file = join(dirs[1] as string, k6RawFile("indexed"));
    const lines = gunzipSync(await readFile(file))
      .toString()
      .split("\n");
    await writeFile(file, gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join("\n")));
    const cut = await mergeShards(dirs, context());
    expect(cut.outcome).toBe("incomplete");
    expect(cut.checks[0]?.observed).toMatch(/raw file is truncated/);
  });
});

describe("k6 raw per-second rows, per endpoint", () => {
  it("tell a scenario's endpoints apart each second, counting answers over each one's p95 limit", async () => {
    const mix = {
      name: "mix",
      endpoints: ["pay", "notify"],
      thresholds: [
        {
          name: "mix pay p95",
          metric: "http_req_duration",
          tags: { scenario: "mix", endpoint: "pay" },
          condition: "p(95)<50",
          unit: "ms",
          k6: true,
          hint: "",
        },
      ],
    } as unknown as ScenarioDefinition;
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 1) + ms).toISOString();
    const point = (metric: string, ms: number, endpoint: string, status: number, value = 1) =>
      JSON.stringify({
        type: "Point",
        metric,
        data: { time: at(ms), value, tags: { scenario: "mix", endpoint, status: String(status) } },
      });
    const file = join(root, "mix.json");
    await writeFile(
      file,
      [
        point("http_req_duration", 0, "pay", 200, 10),
        point("http_reqs", 0, "pay", 200),
        point("http_req_duration", 100, "pay", 200, 80),
        point("http_reqs", 100, "pay", 200),
        point("http_req_duration", 200, "notify", 503, 5),
        point("http_reqs", 200, "notify", 503),
        point("http_reqs", 300, "notify", 0),
      ].join("\n"),
    );
    const raw = await readK6Raw(file, [mix], "k6");
    expect(raw.scenarios[0]?.series[0]?.endpoints).toEqual({
      pay: { requests: 2, status5xx: 0, errors: 0, overLimit: 1 },
      notify: { requests: 1, status5xx: 1, errors: 1, overLimit: 0 },
    });
  });
});

describe("rawPercentile", () => {
  it("interpolates between the closest ranks, as k6 does", () => {
    const v = Float64Array.from([1, 2, 3, 4]);
    expect(rawPercentile(v, 0)).toBe(1);
    expect(rawPercentile(v, 50)).toBe(2.5);
    expect(rawPercentile(v, 100)).toBe(4);
    expect(rawPercentile(Float64Array.from([7]), 95)).toBe(7);
  });
});
