import { type JobType, Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import type { Agent } from "undici";
import type {
  DatabaseSpec,
  QueueSpec,
  SqlStatement,
  TargetLookup,
  TargetProfile,
} from "../config/targetProfile.ts";
import { ConfigError } from "../errors.ts";
import { asDependencyFailure } from "./dependencyFailure.ts";
import { createHttpAgent } from "./httpJson.ts";
import { withinBound } from "./withinBound.ts";

/**
 * The client-side bounds of every connection a run opens. A server that
 * accepts the connection and then never answers is the case they beat:
 * server-side limits (statement_timeout) never fire there.
 */
const CONNECTION_BOUNDS = {
  /** Opening a connection, TCP and handshake. */
  connectMs: 3_000,
  /** One query or command, from the client's side. */
  operationMs: 5_000,
  /** Closing every client at the end of a run; past it, sockets are destroyed. */
  closeMs: 2_000,
} as const;
/** Jobs per state `findJob` looks at, newest first: the run's own job is among the newest. */
const FIND_JOB_DEFAULT_LIMIT = 200;
export const JOB_STATES: JobType[] = [
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
    connectionTimeoutMillis: CONNECTION_BOUNDS.connectMs,
    idleTimeoutMillis: 5_000,
    // A probe that hangs on a lock must not outlive the run's deadline (server side)…
    statement_timeout: CONNECTION_BOUNDS.operationMs,
    // …and a server that never answers must not either (client side: the client is dropped).
    query_timeout: CONNECTION_BOUNDS.operationMs,
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

  pool(database: string, purpose: "read" | "cleanup" = "read"): pg.Pool {
    const spec = this.spec(database);
    const url = purpose === "cleanup" ? (spec.cleanupUrl ?? spec.url) : spec.url;
    let pool = this.pools.get(url);
    if (!pool) {
      pool = createPool(url);
      this.pools.set(url, pool);
    }
    return pool;
  }

  /** The profile's database of that name; a statement naming another is the config's error (exit 2). */
  private spec(database: string): DatabaseSpec {
    const spec = this.profile.databases[database];
    if (!spec)
      throw new ConfigError([
        `A statement reads database "${database}", which the profile does not name; its databases: ${Object.keys(this.profile.databases).join(", ") || "none"}.`,
      ]);
    return spec;
  }

  async query<Args, Row extends pg.QueryResultRow = Record<string, unknown>>(
    statement: SqlStatement<Args>,
    args: Args,
    purpose: "read" | "cleanup" = "read",
  ): Promise<{ rows: Row[]; rowCount: number }> {
    const spec = this.spec(statement.database);
    const url = purpose === "cleanup" ? (spec.cleanupUrl ?? spec.url) : spec.url;
    const dependency = `Postgres (${statement.database}${purpose === "cleanup" ? ", cleanup" : ""})`;
    const pool = this.pool(statement.database, purpose);
    try {
      const result = await withinBound(
        () => pool.query<Row>(statement.text, statement.values(args)),
        CONNECTION_BOUNDS.operationMs + 500,
        `${dependency} query`,
      );
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw asDependencyFailure(error, dependency, url);
    }
  }

  /**
   * One Redis or BullMQ operation on the queue's Redis (or `url`), bounded;
   * a connection failure is a DependencyUnreachableError, a Redis error reply
   * passes through.
   */
  async redisOp<T>(what: string, op: () => Promise<T>, url?: string): Promise<T> {
    const redisUrl = url ?? this.queueSpec().redisUrl;
    try {
      return await withinBound(op, CONNECTION_BOUNDS.operationMs + 500, `Redis ${what}`);
    } catch (error) {
      throw asDependencyFailure(error, "Redis", redisUrl);
    }
  }

  private queueSpec(): QueueSpec {
    if (!this.profile.queue) throw new Error("the target profile has no queue");
    return this.profile.queue;
  }

  /** The webhook queue's name. */
  queueName(): string {
    return this.queueSpec().name;
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
        connectTimeout: CONNECTION_BOUNDS.connectMs,
        commandTimeout: CONNECTION_BOUNDS.operationMs,
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
        const jobs = await this.redisOp("getJobs", () =>
          queue.getJobs(JOB_STATES, 0, limit - 1, false),
        );
        const newest = jobs
          .filter((job) => job?.id !== undefined && match(job.data))
          .sort((a, b) => b.timestamp - a.timestamp)[0];
        return newest?.id;
      },
    };
  }

  /**
   * Closes every client, within CONNECTION_BOUNDS.closeMs whatever the
   * servers do: a pool whose query hangs, or a Redis that never answers QUIT,
   * is dropped rather than waited for.
   */
  async close(): Promise<void> {
    const bound = <T>(work: Promise<T>, what: string) =>
      withinBound(work, CONNECTION_BOUNDS.closeMs, what).catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => bound(q.close(), "queue close")));
    for (const client of this.redisClients.values()) client.disconnect();
    await Promise.all([...this.pools.values()].map((p) => bound(p.end(), "pool end")));
    const closed = await bound(
      this.http.close().then(() => true),
      "http close",
    );
    // Requests still open (a target that never answers) are aborted, not waited for.
    if (!closed) await bound(this.http.destroy(), "http destroy");
  }
}
