import type { Dispatcher } from "undici";
import type { LoadSection } from "./loadProfile.ts";
import type { ProbeSection } from "./probeProfile.ts";
/**
 * Everything the harness knows about a target. Suites never learn whether
 * they talk to the local stack or staging: every target-specific fact (URLs,
 * helper calls, SQL, queue layout, identities, secrets) is in here.
 *
 * A profile is a core (where the target's services, databases and queue are,
 * and which values are secret) plus one optional section per suite or
 * command. Each section is validated by the code that uses it, so a target
 * that is only ever smoked need not describe load, and the reverse.
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
  /** The webhook job's id in the queue, once the profile's lookup found it. */
  jobId?: string;
}

/** The two services of the joint suites (smoke, load, watch); a probe target may name any others. */
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
  /** A key of the profile's `databases` (the joint suites': pasukuru, curva). */
  database: string;
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

/** How a request the harness makes on the target's behalf is bounded. */
export interface RequestBudget {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The run's HTTP agent: requests on it are closed with the run. */
  agent: Dispatcher;
}

export type IdentitySpec =
  | {
      kind: "mint";
      /** Mints a LIFF ID token for a new user; the run then enters via `identify`. */
      mintIdToken: (
        user: { sub: string; name: string },
        budget: RequestBudget,
      ) => Promise<{ idToken: string; sub: string }>;
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

/** Pasukuru's outbound webhook queue (BullMQ): where it lives and where dead letters go. */
export interface QueueSpec {
  redisUrl: string;
  /** BullMQ key prefix (`bull` unless the service sets one). */
  prefix: string;
  name: string;
  deadLetters: DeadLetterSpec;
}

/**
 * What a profile function may read on the target, through the run's own
 * connections (so a config file needs no imports and opens no clients).
 */
export interface TargetLookup {
  /** Rows of one of the profile's databases (read URL). */
  query<Args>(statement: SqlStatement<Args>, args: Args): Promise<Record<string, unknown>[]>;
  /**
   * The id of the newest job whose data `match` accepts, in the webhook queue
   * (or `options.queue`), looking at the newest `options.limit` (default 200)
   * jobs of each state; undefined when none matches.
   */
  findJob(
    match: (data: unknown) => boolean,
    options?: { queue?: string; limit?: number },
  ): Promise<string | undefined>;
}

export interface SmokeAssertionsSql {
  /** One row, column `count`: webhook log entries for this run's order event. */
  webhookLogCount: SqlStatement<RunIds>;
  /** Zero or one row, column `line_user_id`: the test member. */
  memberLineUserId: SqlStatement<RunIds>;
  /** Zero or one row, column `pasukuru_member_id`: the test user's follower. */
  followerMemberId: SqlStatement<RunIds>;
}

/** What the joint smoke needs of a target (validated by smoke/smokeSection.ts). */
export interface SmokeSection {
  identity: IdentitySpec;
  helpers: {
    createOrder: HelperCall<{ orderId: string; followerId?: string }>;
    markPaid: HelperCall<{ eventId?: string }>;
  };
  /**
   * This run's webhook job id, once the order is paid. Called again until it
   * returns one or the deadline passes (the job may be enqueued after the
   * helper answered). The reference stack uses the event id the mark-paid
   * helper returned; a target whose helper returns none looks the job up,
   * e.g. `lookup.findJob((d) => d?.data?.orderId === ids.orderId)`.
   */
  webhookJobId: (
    ids: RunIds,
    lookup: TargetLookup,
  ) => string | undefined | Promise<string | undefined>;
  assertions: SmokeAssertionsSql;
  /** Removes what one run created, by its ids. Run in order, also after failed checks. */
  cleanup: SqlStatement<RunIds>[];
  /**
   * The DLQ board (bull-board at /admin/queues behind an admin JWT). Given,
   * the smoke adds `dlqBoardProtected`. The tokens are secrets from the
   * environment.
   */
  board?: {
    service: ServiceName;
    path: string;
    adminToken: string;
    /** A validly signed token without the admin role, when one is at hand. */
    nonAdminToken?: string;
  };
}

/** How `harness sweep` finds and removes what crashed runs left (validated by lib/cleanup/sweepRuns.ts). */
export interface SweepSection {
  /** Rows with column `run_id`: runs created before the cutoff that left data behind. */
  findRuns: SqlStatement<{ cutoff: Date }>[];
  /** Rows with column `job_id`: a run's webhook jobs, removed from the queue by id. */
  findJobIds: SqlStatement<{ runId: string }>[];
  /** Removes one run's rows by its run id. Run in order. */
  removeRun: SqlStatement<{ runId: string; displayName: string }>[];
  /**
   * The run id a webhook job's data carries, if any. With it, the sweep also
   * finds a run's jobs in the queue itself, so a job whose rows are already
   * gone (cleanup lost Redis after deleting them) is still removed.
   */
  jobRunId?: (jobData: unknown) => string | undefined;
}

/** Where a notification goes; secrets (the webhook URL, the SMTP password) come from the environment. */
export interface NotifierSpec {
  /** A Slack incoming webhook (its URL is a secret). */
  slack?: { webhookUrl: string };
  /** Email over SMTP. */
  email?: {
    host: string;
    port: number;
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: boolean;
    user?: string;
    password?: string;
    from: string;
    to: string[];
  };
}

/** The watch's thresholds and timings; defaults in WATCH_DEFAULTS (watch/watchSection.ts). */
export interface WatchSettings {
  /** Dead-lettered webhook jobs above this fire (default 10). */
  dlqMax: number;
  /** Curva's inbound webhook 5xx share above this fires (default 0.05). */
  errorRatioMax: number;
  /** The 5xx rate's window (default 5 min). */
  windowMs: number;
  /** Fewer webhook requests than this in the window: the rate does not count (default 20). */
  minRequests: number;
  /** A firing alert sends one reminder after this long (default 4 h). */
  renotifyMs: number;
  /** Consecutive checks that could not read their sources before one "cannot check" notification (default 3). */
  cannotCheckAfter: number;
  /** Alert state keys: <prefix>:<target>:<rule> (default harness:alerts). */
  keyPrefix: string;
  /** How long a watcher's claim on a notification holds while it is sent (default 60 s). */
  claimLeaseMs: number;
  /** Delivery attempts per notifier (default 3)… */
  deliveryAttempts: number;
  /** …the first retry after this long, each next one after twice as long (default 1 s). */
  deliveryBackoffMs: number;
}

/** What `harness watch` needs of a target (validated by watch/watchSection.ts). */
export interface WatchSection {
  /** Curva's inbound webhook requests, counted by `http_requests_total{route,status}`. */
  webhookRequests: {
    service: ServiceName;
    /** Its Prometheus endpoint, e.g. /metrics. */
    metricsPath: string;
    /** Sent with each scrape, e.g. { authorization: "Bearer <scrape token>" } (a secret: from the environment). */
    metricsHeaders?: Record<string, string>;
    /** The `route` label of the webhook receiver, e.g. /webhooks/pasukuru. */
    route: string;
    /** When set, the 5xx rate is a PromQL query there instead of two scrapes of metricsPath. */
    prometheusUrl?: string;
  };
  /** For the Prometheus rules file (`harness alerts:rules`). */
  prometheus?: {
    /** A series of dead-lettered webhook jobs (default webhook_queue_jobs{state="failed"}, the reference Pasukuru's gauge). */
    deadLetterSeries?: string;
    /** Label matchers that pick this target's series, e.g. env="staging" (default none). */
    selector?: string;
  };
  /** Where alert state (and the earlier counter reading) lives; default: the queue's Redis. */
  stateRedisUrl?: string;
  /** Overrides of WATCH_DEFAULTS (thresholds, window, re-notify interval, key prefix, …). */
  settings?: Partial<WatchSettings>;
  notifiers: NotifierSpec;
  /** Shown in notifications when set: the DLQ board and the latest sign-off. */
  links?: { board?: string; signoff?: string };
}

export interface TargetProfile {
  /** The target's name in the config. */
  name: string;
  production: boolean;
  /** Every HTTP service of the target by name; the joint suites need pasukuru and curva. */
  services: Record<string, HttpService>;
  /** Every database the profile's SQL reads or cleans, by name (may be none). */
  databases: Record<string, DatabaseSpec>;
  /** Needed by the smoke (and the DLQ alert); a target without a webhook queue leaves it out. */
  queue?: QueueSpec;
  /** Values to scrub from every output (secrets, tokens, passwords). */
  secrets: string[];
  smoke?: SmokeSection;
  load?: LoadSection;
  sweep?: SweepSection;
  watch?: WatchSection;
  probe?: ProbeSection;
}

/**
 * A profile of the Curva × Pasukuru shape, as the joint suites (smoke, load,
 * watch) need it: both services and both databases. Their section checks
 * say so when one is missing (`jointCoreProblems`).
 */
export type JointProfile = TargetProfile & {
  services: Record<ServiceName, HttpService>;
  databases: Record<DatabaseName, DatabaseSpec>;
};
