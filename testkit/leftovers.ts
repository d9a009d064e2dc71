import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import type { StackHandle } from "../fixtures/referenceStack.ts";

export interface Leftovers {
  members: number;
  orders: number;
  followers: number;
  webhookLog: number;
  processedEvents: number;
  jobs: number;
}

/**
 * Test support: what one run left on a reference stack, found by its run id
 * and ids, the way a reviewer would look for it. Zero everywhere means clean.
 */
export async function leftovers(
  stack: StackHandle,
  run: { runId: string; eventIds: readonly string[] },
): Promise<Leftovers> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(stack.queue.name, { connection: redis, prefix: stack.queue.prefix });
  try {
    const { pasukuru: p, curva: c } = stack.schemas;
    const count = async (sql: string, values: unknown[]) =>
      Number((await client.query<{ n: number }>(sql, values)).rows[0]?.n ?? 0);
    const jobs = await Promise.all(run.eventIds.map((id) => queue.getJob(id)));
    return {
      members: await count(
        `SELECT count(*)::int AS n FROM "${p}".members WHERE display_name = $1`,
        [`harness ${run.runId}`],
      ),
      orders: await count(`SELECT count(*)::int AS n FROM "${p}".orders WHERE run_id = $1`, [
        run.runId,
      ]),
      followers: await count(
        `SELECT count(*)::int AS n FROM "${c}".line_followers WHERE run_id = $1`,
        [run.runId],
      ),
      webhookLog: await count(
        `SELECT count(*)::int AS n FROM "${c}".webhook_log WHERE run_id = $1`,
        [run.runId],
      ),
      processedEvents: await count(
        `SELECT count(*)::int AS n FROM "${c}".processed_events WHERE event_id = ANY($1)`,
        [run.eventIds],
      ),
      jobs: jobs.filter((j) => j !== undefined).length,
    };
  } finally {
    await queue.close();
    redis.disconnect();
    await client.end();
  }
}

export const NOTHING_LEFT: Leftovers = {
  members: 0,
  orders: 0,
  followers: 0,
  webhookLog: 0,
  processedEvents: 0,
  jobs: 0,
};

/** One count from a stack's database, read the way a reviewer would: straight, not through a proxy. */
export async function countOf(stack: StackHandle, sql: string, values: unknown[]): Promise<number> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: number }>(sql, values)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
