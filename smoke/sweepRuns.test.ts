import pg from "pg";
import { describe, expect, it } from "vitest";
import type { StackHandle } from "../fixtures/stack/stackTypes.ts";
import { startStack } from "../fixtures/stack/startStack.ts";
import { stackProfile } from "../harness.config.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import type { RunResult } from "../lib/report/runResult.ts";
import { leftovers, NOTHING_LEFT } from "./leftovers.ts";
import { runSmoke } from "./runSmoke.ts";
import { sweepRuns } from "./sweepRuns.ts";

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
      const profile: TargetProfile = { ...stackProfile(stack), name: "local", production: false };
      const crashed = await runSmoke(profile, { phase: 2, timeoutMs: 10_000, keepData: true });
      const recent = await runSmoke(profile, { phase: 2, timeoutMs: 10_000, keepData: true });
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
