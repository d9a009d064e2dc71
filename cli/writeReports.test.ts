import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newRunId } from "../lib/drivers/runId.ts";
import { smokeResult } from "../testkit/sampleResults.ts";
import { defaultReportDir, writeReports } from "./writeReports.ts";

describe("writeReports", () => {
  it("two runs started in the same second write to two folders, each named after its run id", async () => {
    const root = await mkdtemp(join(tmpdir(), "harness-reports-"));
    try {
      const sameSecond = new Date("2026-11-23T00:32:24.000Z");
      const results = [1, 2].map(() =>
        smokeResult({ runId: newRunId("smoke", sameSecond), startedAt: sameSecond.toISOString() }),
      );
      const dirs = await Promise.all(
        results.map((result) => writeReports(result, defaultReportDir(result, root))),
      );
      expect(new Set(dirs).size).toBe(2);
      expect((await readdir(root)).sort()).toEqual(results.map((r) => r.runId).sort());
      for (const [i, dir] of dirs.entries()) {
        expect((await readdir(dir)).sort()).toEqual([
          "junit.xml",
          "report.html",
          "report.md",
          "summary.json",
        ]);
        const summary = JSON.parse(await readFile(join(dir, "summary.json"), "utf8"));
        expect(summary.runId).toBe(results[i]?.runId);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
