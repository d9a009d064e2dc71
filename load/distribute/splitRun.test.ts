import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LatencyRecorder } from "../../lib/latencyHistogram.ts";
import { k6RawUnion } from "../../testkit/k6RawUnion.ts";
import { closeServer, listenOnLoopback } from "../../testkit/loopbackServer.ts";
import { readSummary } from "../../testkit/readSummary.ts";
import { REPO, runHarness } from "../../testkit/runHarness.ts";
import { rawPercentile } from "../k6format/k6Raw.ts";
import { VERIFY_SAMPLES_FILE } from "./shard.ts";

/*
 * One scenario split over three runner processes (harness load --segment
 * i/3 --shard-dir …), started together at an agreed time against one
 * loopback server, then merged: the union is the single run's plan, and the
 * merged percentiles are those of the runners' own raw samples. A runner
 * killed mid-run leaves the merge INCOMPLETE, never a verdict.
 */

const RATE = 150;
const DURATION_SEC = 6;
const PLAN = RATE * DURATION_SEC;

/** The server's delay for the request of global index i: seeded, long-tailed, 1–60 ms (a few 120 ms). */
function delayOf(i: number): number {
  let h = (i + 1) * 2_654_435_761;
  h = (h ^ (h >>> 15)) >>> 0;
  const r = (h % 10_000) / 10_000;
  return r > 0.97 ? 120 : 1 + Math.floor(r * 60);
}

const seen = new Set<number>();
let url = "";
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (c: Buffer) => chunks.push(c));
  request.on("end", () => {
    if (request.url === "/health") return response.writeHead(200).end("{}");
    const id = (JSON.parse(Buffer.concat(chunks).toString() || "{}") as { id?: string }).id ?? "";
    const index = Number(id.slice(id.lastIndexOf("_") + 1));
    seen.add(index);
    setTimeout(() => response.writeHead(200).end("{}"), delayOf(index));
  });
});

beforeAll(async () => {
  url = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

/** One runner process; resolves with its exit code (null: killed by a signal) and output. */
function runner(segment: string, shardDir: string, startAt: string, k6Bin?: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "bin/harness.mjs",
      "load",
      "--config",
      "testkit/splitLoad.config.ts",
      "--target",
      "split",
      "--scenario",
      "indexed",
      "--segment",
      segment,
      "--shard-dir",
      shardDir,
      "--start-at",
      startAt,
      "--engine",
      k6Bin ? "k6" : "node",
    ],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        SPLIT_URL: url,
        HARNESS_VERIFY_SAMPLES: "1",
        ...(k6Bin ? { K6_BIN: k6Bin } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c;
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c;
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    const bound = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(bound);
      resolve({ code, output });
    });
  });
  return { child, done, output: () => output };
}

describe("a scenario split over three runners", () => {
  it("merges to the single run's plan, with the percentiles of the runners' raw samples", {
    timeout: 90_000,
  }, async () => {
    const root = await mkdtemp(join(tmpdir(), "harness-split-"));
    try {
      seen.clear();
      // Far enough ahead for three processes to load their config.
      const startAt = new Date(Date.now() + 6_000).toISOString();
      const dirs = [1, 2, 3].map((i) => join(root, `runner-${i}`));
      const runs = await Promise.all(dirs.map((dir, i) => runner(`${i + 1}/3`, dir, startAt).done));
      for (const run of runs) {
        expect(run.code, run.output).toBe(0);
        expect(run.output).toMatch(/SHARD {2}segment \d\/3 .*: complete/);
        expect(run.output).toMatch(/Not judged/);
      }
      const reportDir = join(root, "merged");
      const merged = await runHarness(["merge", ...dirs, "--report-dir", reportDir]);
      expect(merged.code, merged.stdout + merged.stderr).toBe(0);
      const summary = await readSummary(reportDir);
      const scenario = summary.scenarios?.[0];
      const work = scenario?.endpoints.find((e) => e.endpoint === "work");
      // The union of the runners' starts is the single machine's schedule: every index once.
      expect((work?.requests ?? 0) + (work?.errors ?? 0) + (scenario?.dropped ?? 0)).toBe(PLAN);
      expect(seen.size).toBe(PLAN);
      expect(Math.max(...seen)).toBe(PLAN - 1);
      expect(scenario?.runners?.map((r) => r.requests).reduce((a, b) => a + b, 0)).toBe(
        work?.requests,
      );
      // Waited for the agreed start: none went early (how late is the machine's, printed, not judged).
      for (const r of scenario?.runners ?? []) expect(r.startSkewMs).toBeGreaterThanOrEqual(0);
      // The runners' raw samples, in one histogram and sorted: the merge's p95 is theirs.
      const raw: number[] = [];
      for (const dir of dirs) {
        const dumped = JSON.parse(await readFile(join(dir, VERIFY_SAMPLES_FILE), "utf8")) as Record<
          string,
          number[]
        >;
        raw.push(...(dumped["indexed work"] ?? []));
      }
      expect(raw.length).toBe(work?.requests);
      const union = new LatencyRecorder();
      for (const us of raw) union.record(us);
      const whole = LatencyRecorder.decode(
        work?.latency as NonNullable<typeof work>["latency"] & {},
      );
      for (const p of [50, 90, 95, 99, 99.9, 100])
        expect(whole.percentileUs(p)).toBe(union.percentileUs(p));
      const p95 = summary.thresholds.find((t) => t.metric.startsWith("http_req_duration"));
      expect(p95?.observed).toBeCloseTo(union.percentileUs(95) / 1000, 3);
      // Against the sorted samples: exact to the histogram's resolution (3 significant digits).
      const sorted = [...raw].sort((a, b) => a - b);
      const exact = sorted[Math.ceil(0.95 * sorted.length) - 1] as number;
      expect(Math.abs(whole.percentileUs(95) - exact)).toBeLessThanOrEqual(exact / 1000 + 1);
      union.destroy();
      whole.destroy();
      // A human reads the runners too.
      const markdown = await readFile(join(reportDir, "report.md"), "utf8");
      expect(markdown).toMatch(/runners/i);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("one runner killed mid-run, another stopped by SIGTERM: the merge is INCOMPLETE, exit 5, naming both", {
    timeout: 90_000,
  }, async () => {
    const root = await mkdtemp(join(tmpdir(), "harness-split-kill-"));
    try {
      const startAt = new Date(Date.now() + 6_000).toISOString();
      const dirs = [1, 2, 3].map((i) => join(root, `runner-${i}`));
      const runners = dirs.map((dir, i) => runner(`${i + 1}/3`, dir, startAt));
      // Killed once it is sending (two seconds past the agreed start).
      const victim = runners[1] as (typeof runners)[number];
      const stopped = runners[2] as (typeof runners)[number];
      // Mid-run: once both have said their scenario started (bounded), and a second into it.
      const sending = (r: (typeof runners)[number]) => /indexed: .*segment/.test(r.output());
      const deadline = Date.now() + 30_000;
      while (!(sending(victim) && sending(stopped)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sending(victim) && sending(stopped), victim.output() + stopped.output()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      victim.child.kill("SIGKILL");
      stopped.child.kill("SIGTERM");
      const runs = await Promise.all(runners.map((r) => r.done));
      expect(runs[1]?.code).toBeNull();
      // Stopped by a signal: it still writes its shard, marked interrupted, and exits 130.
      expect(runs[2]?.code, runs[2]?.output).toBe(130);
      expect(runs[2]?.output).toMatch(/SHARD .*: interrupted/);
      const reportDir = join(root, "merged");
      const merged = await runHarness(["merge", ...dirs, "--report-dir", reportDir]);
      expect(merged.code, merged.stdout).toBe(5);
      expect(merged.stdout).toMatch(/INCOMPLETE/);
      const summary = await readSummary(reportDir);
      expect(summary.outcome).toBe("incomplete");
      expect(summary.thresholds).toEqual([]);
      expect(summary.checks.map((c) => c.observed).join("\n")).toMatch(
        /segment 2\/3 \(1\/3:2\/3\) has no shard/,
      );
      expect(summary.checks.map((c) => c.observed).join("\n")).toMatch(
        /segment 3\/3 .* was interrupted: its shard is partial/,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  // A real k6, where there is one (CI machines have none): K6_BIN=/path/to/k6.
  it.skipIf(!process.env.K6_BIN)(
    "k6 runners with their execution segments merge raw-exact: the p95 of every runner's raw samples",
    { timeout: 120_000 },
    async () => {
      const root = await mkdtemp(join(tmpdir(), "harness-split-k6-"));
      try {
        seen.clear();
        const startAt = new Date(Date.now() + 6_000).toISOString();
        const dirs = [1, 2, 3].map((i) => join(root, `runner-${i}`));
        const runs = await Promise.all(
          dirs.map((dir, i) => runner(`${i + 1}/3`, dir, startAt, process.env.K6_BIN).done),
        );
        for (const run of runs) expect(run.code, run.output).toBe(0);
        const reportDir = join(root, "merged");
        const merged = await runHarness(["merge", ...dirs, "--report-dir", reportDir]);
        expect(merged.code, merged.stdout + merged.stderr).toBe(0);
        const summary = await readSummary(reportDir);
        const scenario = summary.scenarios?.[0];
        const work = scenario?.endpoints.find((e) => e.endpoint === "work");
        // k6's own arrival-rate executor may start one more at each runner's end (its timing, not the split).
        const started = (work?.requests ?? 0) + (work?.errors ?? 0) + (scenario?.dropped ?? 0);
        expect(started).toBeGreaterThanOrEqual(PLAN);
        expect(started).toBeLessThanOrEqual(PLAN + 3);
        expect(seen.size).toBe(work?.requests);
        const sorted = await k6RawUnion(dirs, "indexed", "work");
        const p95 = summary.thresholds.find((t) => t.metric.startsWith("http_req_duration"));
        expect(p95?.observed).toBeCloseTo(rawPercentile(sorted, 95), 3);
        expect(p95?.borderline).toBeUndefined();
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  );
});
