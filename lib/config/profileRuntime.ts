import type { Dispatcher } from "undici";

/*
 * What a profile's functions are handed at run time: the ids of a run, a
 * helper's answer, the bounds of a request, the lookups a profile may make.
 * Not config: the schemas (lib/config/schemas) type the functions with them.
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

export interface HelperResponse {
  status: number;
  body: unknown;
}

/** How a request the harness makes on the target's behalf is bounded. */
export interface RequestBudget {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The run's HTTP agent: requests on it are closed with the run. */
  agent: Dispatcher;
}

/** One parameterised statement, as a profile function passes it to `TargetLookup.query`. */
export interface SqlStatementLike<Args> {
  database: string;
  text: string;
  values: (args: Args) => unknown[];
}

/**
 * What a profile function may read on the target, through the run's own
 * connections (so a config file needs no imports and opens no clients).
 */
export interface TargetLookup {
  /** Rows of one of the profile's databases (read URL). */
  query<Args>(statement: SqlStatementLike<Args>, args: Args): Promise<Record<string, unknown>[]>;
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

/** The ids one probe delivery carries, for its body and its read-back. */
export interface ProbeEventIds {
  /** Unique per delivery (W10 reuses one on purpose); carries the run id. */
  eventId: string;
  runId: string;
  /** Set on a production target: the event must be of this inert type (probe.productionOptIn). */
  inertEventType?: string;
}

/** What minting a probe identity's headers may take (the probe's request timeout, the run's agent). */
export interface IdentityBudget {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The run's HTTP agent, for an identity minted over HTTP. */
  agent: Dispatcher;
}

/** A minted LIFF ID token for one test user. */
export type MintIdToken = (
  user: { sub: string; name: string },
  budget: RequestBudget,
) => Promise<{ idToken: string; sub: string }>;
