import type { ExpectedStatus } from "../expectedStatuses.ts";
import type { SigningScheme } from "../webhookSchemes.ts";
import type { HelperCall, RequestBudget, ServiceName, SqlStatement } from "./targetProfile.ts";

/*
 * The load suite's part of a target profile: the built-in scenarios' parts
 * (identify, webhook, pool monitoring) and the scenarios a target declares.
 */

/** Names of a service's pg pool gauges on /metrics; each defaults to the reference stack's. */
export interface PoolGauges {
  total?: string;
  idle?: string;
  waiting?: string;
  max?: string;
  checkoutTimeouts?: string;
  /** A histogram of checkout waits in seconds, with a bucket at le="1". */
  checkoutWait?: string;
}

/** One request of a declared scenario: an endpoint of the target, and how each request's body is made. */
export interface DeclaredRequest {
  /** The endpoint's name in reports and threshold tags (`{endpoint:<name>}`). */
  name: string;
  /** A key of the profile's `services`. */
  service: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Secrets go here, read from the environment. */
  headers?: Record<string, string>;
  /**
   * The body, a template: `{{eventId}}` becomes an id unique to each request
   * (it starts with the run's prefix), `{{runId}}` the run id (so cleanup
   * finds what the run created).
   */
  body?: string;
  /** Signed at send time with a scheme of lib/webhookSigning.ts (the secret from the environment). */
  signing?: { scheme: SigningScheme; secret: string };
  /** The answers that count as expected (http_req_failed); default every 2xx and 3xx. */
  expectedStatuses?: ExpectedStatus[];
  /**
   * `testUser`: each request is one of the run's minted test users
   * (load.mintIdToken), in turn: `{{idToken}}` and `{{userId}}` in the
   * headers and body are theirs. Not with `{{eventId}}` or signing.
   */
  identity?: "testUser";
}

/** A model as a profile writes it: constant or in stages (`durationSec` of a staged one is its stages' sum). */
export type DeclaredModel =
  | { kind: "closed"; connections: number; durationSec: number }
  | { kind: "open"; ratePerSec: number; durationSec: number; maxInFlight?: number }
  | { kind: "rampingVus"; startVus?: number; stages: { durationSec: number; target: number }[] }
  | {
      kind: "rampingArrivalRate";
      startRate?: number;
      stages: { durationSec: number; target: number }[];
      maxInFlight?: number;
    };

/** A scenario a target declares. */
export interface DeclaredScenario {
  description?: string;
  /** Sent in turn. */
  requests: DeclaredRequest[];
  model: DeclaredModel;
  /**
   * Thresholds by metric key, k6 syntax, tags without the scenario (added):
   * e.g. `{ "http_req_duration{endpoint:charge}": "p(95)<50" }`. Every
   * scenario also gets failed requests, 5xx and network errors at 0, and no
   * dropped starts on an open model, unless a key here replaces them.
   */
  thresholds?: Record<string, string>;
}

/** What the load suite needs of a target (validated by load/loadSection.ts). */
export interface LoadSection {
  /** Load may be sent to this target at all; the harness refuses (exit 2) otherwise. */
  allowed: boolean;
  /** What sets `allowed` (e.g. `PRODUCTION_LOAD_ALLOWED=true`), named when load is refused. */
  allowedBy?: string;
  /** Mints a LIFF ID token for one test user (the smoke's minting, reused); the built-in scenarios' identify needs it. */
  mintIdToken?: (
    user: { sub: string; name: string },
    budget: RequestBudget,
  ) => Promise<{ idToken: string; sub: string }>;
  /** `POST /integration/line/identify` with `ids.idToken` (the smoke's identify call, reused). */
  identify?: Pick<HelperCall<unknown>, "service" | "method" | "path" | "headers" | "body"> & {
    /** The answers that count as expected (http_req_failed); default every 2xx and 3xx. */
    expectedStatuses?: ExpectedStatus[];
  };
  /** Curva's webhook receiver, and what one delivery carries (the built-in webhook and sustained scenarios). */
  webhook?: {
    service: ServiceName;
    path: string;
    /** The answers that count as expected (http_req_failed); default every 2xx and 3xx. */
    expectedStatuses?: ExpectedStatus[];
    /** The event for one delivery; it must carry `ids.runId` where cleanup finds it. */
    eventBody: (ids: { eventId: string; runId: string; lineUserId: string }) => unknown;
    /** How deliveries are signed; the secret comes from the environment and is scrubbed. */
    signing: { scheme: SigningScheme; secret: string };
  };
  /** Where pool use is measured while load runs (none: pool thresholds have no evidence). */
  monitoring?: {
    /** Each service's Prometheus endpoint and pool gauge names; a service left out has no pool threshold. */
    metrics: Partial<
      Record<
        ServiceName,
        {
          path: string;
          gauges?: PoolGauges;
          /** Sent with each scrape, e.g. { authorization: "Bearer <scrape token>" } (a secret: from the environment). */
          headers?: Record<string, string>;
        }
      >
    >;
    /** A Postgres URL that may read pg_stat_activity, for connections against max_connections. */
    databaseUrl?: string;
    /**
     * For a service that exposes no pool gauges: its pool's application_name
     * in pg_stat_activity (a trailing `*` matches a prefix) and pool size.
     * With `databaseUrl`, every judged service without gauges must be here
     * (exit 2 otherwise), and its pool threshold is judged from there: a
     * stretch at the pool size longer than the grace that coincides with
     * harmed answers (5xx, none, p95 over the limit) in the same seconds, or
     * Postgres at max_connections, counts as exhaustion (exhaustedBy
     * "pgStatActivity"); at its size unharmed passes with a warning.
     */
    applications?: Partial<Record<ServiceName, { applicationName: string; poolSize: number }>>;
  };
  /** Threshold conditions replaced by metric key, e.g. `{ "http_req_duration{scenario:identify,endpoint:identify}": "p(95)<400" }`. */
  thresholds?: Record<string, string>;
  /**
   * Scenarios the target declares, by name, beside the built-in identify,
   * webhook and sustained (which need the Curva × Pasukuru shape). Each runs
   * on both engines, judged like the built-in ones.
   */
  scenarios?: Record<string, DeclaredScenario>;
  /** Removes what one load run created, by its run id (and the minted users' display name). */
  cleanup: SqlStatement<{ runId: string; displayName: string }>[];
}
