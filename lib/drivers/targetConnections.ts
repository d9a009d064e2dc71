import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import type { Agent } from "undici";
import type { DatabaseName, SqlStatement, TargetProfile } from "../config/targetProfile.ts";
import { createHttpAgent } from "./httpJson.ts";

const CONNECT_TIMEOUT_MS = 3_000;

function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 3,
    application_name: "harness-smoke",
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 5_000,
    // A probe that hangs on a lock must not outlive the run's deadline.
    statement_timeout: 5_000,
  });
  // An idle client losing its server must not crash the run; the next query reports it.
  pool.on("error", () => {});
  return pool;
}

/**
 * The run's clients for one target: pg pools per database (read and cleanup),
 * one Redis client, BullMQ queue handles and an HTTP agent. Opened lazily,
 * closed together.
 */
export class TargetConnections {
  readonly http: Agent = createHttpAgent();
  readonly redis: Redis;
  lastRedisError: Error | undefined;
  private readonly pools = new Map<string, pg.Pool>();
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly profile: Pick<TargetProfile, "databases" | "queue">) {
    this.redis = new Redis(profile.queue.redisUrl, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      // Preflight must fail fast when Redis is down, not retry forever.
      retryStrategy: (times) => (times > 3 ? null : 100 * times),
    });
    // ioredis reports a failed connect as "Connection is closed"; the socket error says why.
    this.redis.on("error", (error: Error) => {
      this.lastRedisError = error;
    });
  }

  pool(database: DatabaseName, purpose: "read" | "cleanup" = "read"): pg.Pool {
    const spec = this.profile.databases[database];
    const url = purpose === "cleanup" ? (spec.cleanupUrl ?? spec.url) : spec.url;
    let pool = this.pools.get(url);
    if (!pool) {
      pool = createPool(url);
      this.pools.set(url, pool);
    }
    return pool;
  }

  async query<Args, Row extends pg.QueryResultRow = Record<string, unknown>>(
    statement: SqlStatement<Args>,
    args: Args,
    purpose: "read" | "cleanup" = "read",
  ): Promise<{ rows: Row[]; rowCount: number }> {
    const result = await this.pool(statement.database, purpose).query<Row>(
      statement.text,
      statement.values(args),
    );
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.profile.queue.prefix });
      queue.on("error", () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    await Promise.allSettled([...this.pools.values()].map((p) => p.end()));
    this.redis.disconnect();
    await this.http.close();
  }
}
