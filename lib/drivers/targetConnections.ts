import { type JobType, Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import type { Agent } from "undici";
import type {
  DatabaseName,
  QueueSpec,
  SqlStatement,
  TargetLookup,
  TargetProfile,
} from "../config/targetProfile.ts";
import { createHttpAgent } from "./httpJson.ts";

const CONNECT_TIMEOUT_MS = 3_000;
/** Jobs per state `findJob` looks at, newest first: the run's own job is among the newest. */
const FIND_JOB_DEFAULT_LIMIT = 200;
const JOB_STATES: JobType[] = [
  "active",
  "waiting",
  "waiting-children",
  "prioritized",
  "delayed",
  "completed",
  "failed",
];

function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 3,
    application_name: "harness",
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
 * Redis clients (the queue's, and any other a command names) and BullMQ queue handles (when the target has a queue) and
 * an HTTP agent. Opened lazily, closed together.
 */
export class TargetConnections {
  readonly http: Agent = createHttpAgent();
  private readonly redisClients = new Map<string, Redis>();
  private readonly pools = new Map<string, pg.Pool>();
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly profile: Pick<TargetProfile, "databases" | "queue">) {}

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

  private queueSpec(): QueueSpec {
    if (!this.profile.queue) throw new Error("the target profile has no queue");
    return this.profile.queue;
  }

  /** The queue's Redis. */
  get redis(): Redis {
    return this.redisAt(this.queueSpec().redisUrl);
  }

  /** A Redis client for `url` (one per URL), closed with the others. */
  redisAt(url: string): Redis {
    let client = this.redisClients.get(url);
    if (!client) {
      client = new Redis(url, {
        connectTimeout: CONNECT_TIMEOUT_MS,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => (times > 3 ? null : 100 * times),
      });
      // Reported by the command that needed the connection; must not crash the run.
      client.on("error", () => {});
      this.redisClients.set(url, client);
    }
    return client;
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.queueSpec().prefix });
      queue.on("error", () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** What profile functions may read on the target, through these connections. */
  lookup(): TargetLookup {
    return {
      query: async (statement, args) => (await this.query(statement, args)).rows,
      findJob: async (match, options = {}) => {
        const queue = this.queue(options.queue ?? this.queueSpec().name);
        const limit = options.limit ?? FIND_JOB_DEFAULT_LIMIT;
        const jobs = await queue.getJobs(JOB_STATES, 0, limit - 1, false);
        const newest = jobs
          .filter((job) => job?.id !== undefined && match(job.data))
          .sort((a, b) => b.timestamp - a.timestamp)[0];
        return newest?.id;
      },
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    await Promise.allSettled([...this.pools.values()].map((p) => p.end()));
    for (const client of this.redisClients.values()) client.disconnect();
    await this.http.close();
  }
}
