import pg from "pg";
import { describe, expect, it } from "vitest";
import type { StackHandle } from "../../fixtures/stack/stackTypes.ts";
import { startStack } from "../../fixtures/stack/startStack.ts";
import { coreProfile } from "../../testkit/coreProfile.ts";
import { leftovers, NOTHING_LEFT } from "../../testkit/leftovers.ts";
import { localProfile, smokeOn } from "../../testkit/localRun.ts";
import type { RunResult } from "../report/runResult.ts";
import { requireSweepTarget, sweepRuns, sweepSectionProblems } from "./sweepRuns.ts";

const DAY_MS = 86_400_000;

/** Makes a kept run look as if it crashed two days ago. */
async function backdate(stack: StackHandle, runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const { pasukuru: p, curva: c } = stack.schemas;
    const old = "now() - interval '2 days'";
    await client.query(`UPDATE "${p}".orders SET created_at = ${old} WHERE run_id = $1`, [runId]);
    await client.query(`UPDATE "${p}".members SET created_at = ${old} WHERE display_name = $1`, [
      `harness ${runId}`,
    ]);
    await client.query(`UPDATE "${c}".line_followers SET created_at = ${old} WHERE run_id = $1`, [
      runId,
    ]);
  } finally {
    await client.end();
  }
}

function runOf(result: RunResult) {
  return {
    runId: result.runId,
    eventIds: result.testData.eventId ? [result.testData.eventId] : [],
  };
}

describe("sweepRuns", () => {
  it("removes the rows and job of a run older than the cutoff, and only that run", async () => {
    const stack = await startStack();
    try {
      const profile = requireSweepTarget(localProfile(stack));
      const crashed = await smokeOn(stack, { keepData: true });
      const recent = await smokeOn(stack, { keepData: true });
      await backdate(stack, crashed.runId);

      const report = await sweepRuns(profile, { olderThanMs: DAY_MS });

      expect(report.runs).toEqual([{ runId: crashed.runId, rows: 5, jobs: 1, errors: [] }]);
      expect(await leftovers(stack, runOf(crashed))).toEqual(NOTHING_LEFT);
      expect(await leftovers(stack, runOf(recent))).toMatchObject({
        orders: 1,
        members: 1,
        jobs: 1,
      });

      const again = await sweepRuns(profile, { olderThanMs: DAY_MS });
      expect(again.runs).toEqual([]);
    } finally {
      await stack.stop();
    }
  });
});

describe("sweepSectionProblems", () => {
  it("names a missing sweep section, and a job finder without a queue", () => {
    const base = coreProfile();
    expect(sweepSectionProblems(base)).toEqual([
      expect.stringMatching(/^targets\.qa: sweep is missing: this target says nothing about/),
    ]);
    const statement = { database: "pasukuru" as const, text: "SELECT 1", values: () => [] };
    expect(
      sweepSectionProblems({
        ...base,
        sweep: { findRuns: [statement], findJobIds: [statement], removeRun: [] },
      }),
    ).toEqual([
      "targets.qa: queue is missing; sweep.findJobIds finds webhook jobs to remove from it.",
    ]);
  });
});
