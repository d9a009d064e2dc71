import pg from "pg";
import { describe, expect, it } from "vitest";
import { type StackHandle, startStack } from "../../fixtures/referenceStack.ts";
import { coreProfile } from "../../testkit/coreProfile.ts";
import { leftovers, NOTHING_LEFT } from "../../testkit/leftovers.ts";
import { loadOn, localProfile, smokeOn } from "../../testkit/localRun.ts";
import type { RunResult } from "../result/runResult.ts";
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

describe("sweepRuns and load runs", () => {
  it("finds a crashed webhook-only load run by its webhook rows alone, and removes them", async () => {
    const stack = await startStack();
    try {
      const crashed = await loadOn(stack, {
        scenarios: ["webhook"],
        keepData: true,
        durationSec: 1,
        connections: 5,
      });
      const client = new pg.Client({ connectionString: stack.databaseUrl });
      await client.connect();
      const count = async () => {
        const { pasukuru: p, curva: c } = stack.schemas;
        const n = async (sql: string) =>
          Number((await client.query<{ n: number }>(sql, [crashed.runId])).rows[0]?.n);
        return {
          members: await n(
            `SELECT count(*)::int AS n FROM "${p}".members WHERE display_name = 'harness ' || $1`,
          ),
          webhookLog: await n(
            `SELECT count(*)::int AS n FROM "${c}".webhook_log WHERE run_id = $1`,
          ),
        };
      };
      try {
        const left = await count();
        // Nothing but webhook rows: no order, member or follower points at this run.
        expect(left.members).toBe(0);
        expect(left.webhookLog).toBeGreaterThan(0);
        const { pasukuru: p, curva: c } = stack.schemas;
        await client.query(
          `UPDATE "${p}".members SET created_at = now() - interval '2 days' WHERE display_name = 'harness ' || $1`,
          [crashed.runId],
        );
        await client.query(
          `UPDATE "${c}".webhook_log SET received_at = now() - interval '2 days' WHERE run_id = $1`,
          [crashed.runId],
        );
        const report = await sweepRuns(requireSweepTarget(localProfile(stack)), {
          olderThanMs: DAY_MS,
        });
        expect(report.runs.map((r) => r.runId)).toEqual([crashed.runId]);
        expect(await count()).toEqual({ members: 0, webhookLog: 0 });
      } finally {
        await client.end();
      }
    } finally {
      await stack.stop();
    }
  });
});
