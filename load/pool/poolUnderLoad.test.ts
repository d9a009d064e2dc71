import { describe, expect, it } from "vitest";
import { readSummary } from "../../testkit/readSummary.ts";
import { runHarness } from "../../testkit/runHarness.ts";
import { inTempDir } from "../../testkit/tempDir.ts";

/*
 * The plan's 1,000 concurrent identifies, as a release manager runs them
 * (the CLI, the local stack in its own process), end with every pool
 * judged: the sampler keeps its interval beside a generator at full tilt.
 * Latency is not asserted (this machine's share of two cores decides it);
 * that the pool verdict had its evidence is.
 */

const ENGINES: { engine: string; env: Record<string, string> }[] = [
  { engine: "node", env: {} },
  // A real k6, where there is one (CI machines have none): K6_BIN=/path/to/k6.
  ...(process.env.K6_BIN ? [{ engine: "k6", env: { K6_BIN: process.env.K6_BIN } }] : []),
];

describe("the pool judged under the plan's 1,000 connections", () => {
  it.each(ENGINES)(
    "$engine engine: identify at 1,000 connections ends with both pools judged",
    async ({ engine, env }) => {
      await inTempDir(async (dir) => {
        const run = await runHarness(
          [
            "load",
            "--target",
            "local",
            "--engine",
            engine,
            "--scenario",
            "identify",
            "--duration",
            "6s",
            "--report-dir",
            dir,
          ],
          env,
        );
        const summary = await readSummary(dir);
        const scenario = summary.scenarios?.[0];
        const pools = summary.thresholds.filter((t) => t.metric.startsWith("db_pool_exhausted"));
        console.log(
          `${engine}: exit ${run.code}; pools ${JSON.stringify(scenario?.pools.map((p) => ({ service: p.service, samples: p.samples, coverage: p.coverage, gaps: p.gaps.length, countedThroughout: p.countedThroughout })))}; thresholds ${JSON.stringify(summary.thresholds.map((t) => [t.name, t.status, t.observed]))}`,
        );
        expect(scenario?.model).toMatchObject({ connections: 1000 });
        expect(pools).toHaveLength(2);
        for (const pool of pools)
          expect(pool.status, `${pool.name}: ${pool.hint}`).not.toBe("error");
      });
    },
    120_000,
  );
});
