/**
 * Everything a suite knows about a target. Suites never learn whether they
 * talk to the local stack or staging: every target-specific fact (URLs,
 * helper calls, SQL, queue layout, identities, secrets) is in here.
 */

/** The ids one run creates or learns, filled in as the steps go. */
export interface RunIds {
  runId: string;
  /** LINE user id of the test user. */
  lineUserId: string;
  /** Display name of the test user; carries the run id so a sweep can find a minted member. */
  displayName: string;
  /** The minted LIFF ID token (a credential: never reported). */
  idToken?: string;
  memberId?: string;
  /** True when this run created the member (a pre-provisioned member is never deleted). */
  memberCreated?: boolean;
  orderId?: string;
  eventId?: string;
  followerId?: string;
}

export type ServiceName = "pasukuru" | "curva";
export type DatabaseName = "pasukuru" | "curva";

export interface HttpService {
  /** Base URL, no trailing slash. */
  url: string;
  /** Path answered 2xx when the service is up; preflight calls it. */
  healthPath: string;
}

export interface DatabaseSpec {
  /** Read-only is enough for assertions. */
  url: string;
  /** Used for cleanup and sweep; defaults to `url`. */
  cleanupUrl?: string;
}

/** One parameterised statement: `text` uses $1..$n, `values` fills them. */
export interface SqlStatement<Args> {
  database: DatabaseName;
  text: string;
  values: (args: Args) => unknown[];
}

export interface HelperResponse {
  status: number;
  body: unknown;
}

/** A call to a test helper endpoint, and how to read what the step needs from its answer. */
export interface HelperCall<T> {
  service: ServiceName;
  method: "POST" | "PUT" | "GET";
  path: (ids: RunIds) => string;
  /** Secrets go here, read from named env variables. */
  headers?: Record<string, string>;
  body?: (ids: RunIds) => unknown;
  /** Returns what the step needs, or a sentence saying what is missing from the answer. */
  read: (response: HelperResponse) => T | { problem: string };
}

export type IdentitySpec =
  | {
      kind: "mint";
      /** Mints a LIFF ID token for a new user; the run then enters via `identify`. */
      mintIdToken: (user: {
        sub: string;
        name: string;
      }) => Promise<{ idToken: string; sub: string }>;
      identify: HelperCall<{ memberId: string; lineUserId: string; created: boolean }>;
    }
  | {
      /** A member the target already has; the run never creates or deletes it. */
      kind: "preProvisioned";
      lineUserId: string;
      memberId: string;
    };

export type DeadLetterSpec =
  /** Exhausted jobs stay in the webhook queue's failed set (BullMQ's default). */
  | { kind: "failedSet" }
  /** Exhausted jobs are moved to another queue, under the same prefix, with the same job id. */
  | { kind: "queue"; name: string };

export interface QueueSpec {
  redisUrl: string;
  /** BullMQ key prefix (`bull` unless the service sets one). */
  prefix: string;
  name: string;
  deadLetters: DeadLetterSpec;
  /** The webhook job's id for this run; BullMQ job id = event id on the reference stack. */
  jobId: (ids: RunIds) => string | undefined;
}

export interface SmokeAssertionsSql {
  /** One row, column `count`: webhook log entries for this run's order event. */
  webhookLogCount: SqlStatement<RunIds>;
  /** Zero or one row, column `line_user_id`: the test member. */
  memberLineUserId: SqlStatement<RunIds>;
  /** Zero or one row, column `pasukuru_member_id`: the test user's follower. */
  followerMemberId: SqlStatement<RunIds>;
}

export interface SweepSpec {
  /** Rows with column `run_id`: runs created before the cutoff that left data behind. */
  findRuns: SqlStatement<{ cutoff: Date }>[];
  /** Rows with column `job_id`: a run's webhook jobs, removed from the queue by id. */
  findJobIds: SqlStatement<{ runId: string }>[];
  /** Removes one run's rows by its run id. Run in order. */
  removeRun: SqlStatement<{ runId: string; displayName: string }>[];
}

export interface TargetProfile {
  /** The target's name in the config. */
  name: string;
  production: boolean;
  services: Record<ServiceName, HttpService>;
  databases: Record<DatabaseName, DatabaseSpec>;
  queue: QueueSpec;
  identity: IdentitySpec;
  helpers: {
    createOrder: HelperCall<{ orderId: string; followerId?: string }>;
    markPaid: HelperCall<{ eventId?: string }>;
  };
  assertions: SmokeAssertionsSql;
  /** Removes what one run created, by its ids. Run in order, also after failed checks. */
  cleanup: SqlStatement<RunIds>[];
  sweep: SweepSpec;
  /** Values to scrub from every output (secrets, tokens, passwords). */
  secrets: string[];
}
