import type { ExpectedStatus } from "../../lib/expectedStatuses.ts";
import type { SigningScheme } from "../../lib/webhookSchemes.ts";
import type { K6Options } from "./k6Options.ts";

/**
 * A run's requests as data: what both engines read (the one translation of
 * the profile's load section, loadRequests.ts), and, with k6's options and
 * each scenario's endpoints, the plan k6 reads from a private temp file
 * (never the report dir: bodies may carry test users' id tokens) in its
 * init stage. Secrets are not in it: a signing secret reaches k6 through
 * __ENV only (`secretEnv`). Runtime-neutral.
 */

/** One endpoint's requests: where they go, and how each one's body is made. */
export interface EndpointPlan {
  url: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers: Record<string, string>;
  /** Answers that count as expected (k6's http_req_failed, set per request). */
  expectedStatuses: ExpectedStatus[];
  /** Bodies used in turn (one per minted test user); or */
  bodies?: string[];
  /** With `bodies`: each body's own headers, same index (a test user's token); else `headers` for all. */
  headerSets?: Record<string, string>[];
  /** one body as JSON text with EVENT_ID_PLACEHOLDER where each request's own event id goes, */
  template?: string;
  /** signed at send time with this scheme (the secret from the environment), */
  scheme?: SigningScheme;
  /** its event ids `<prefix>_…`, unique per run. */
  eventPrefix?: string;
}

/** What the engines share of a run: its endpoints by name. */
export interface LoadRequests {
  endpoints: Record<string, EndpointPlan>;
}

/**
 * What may travel of an endpoint (a ConfigMap, a `k6 archive`, a CI
 * artifact): how its answers are judged and signed, nothing a request is
 * made of.
 */
export type EndpointShape = Pick<
  EndpointPlan,
  "method" | "expectedStatuses" | "scheme" | "eventPrefix"
>;

/**
 * What an endpoint's requests are made of: where they go (a URL may carry
 * a username), headers (tokens), bodies (test users' id tokens), the
 * template. Never in a ConfigMap or an archive: k6 reads it from its own
 * file (`HARNESS_K6_REQUESTS`: a private temp file, or a Kubernetes Secret).
 */
export type EndpointRequests = Omit<EndpointPlan, keyof EndpointShape>;

/** The plan k6 reads: options, each scenario's endpoints in turn, and each endpoint's shape. */
export interface K6Plan {
  options: K6Options;
  /** Each scenario's endpoints, sent in turn. */
  scenarios: Record<string, readonly string[]>;
  endpoints: Record<string, EndpointShape>;
}

/** A run's requests split into the plan's shapes (may travel) and what the requests are made of (may not). */
export function splitRequests(requests: LoadRequests): {
  shapes: Record<string, EndpointShape>;
  made: Record<string, EndpointRequests>;
} {
  const shapes: Record<string, EndpointShape> = {};
  const made: Record<string, EndpointRequests> = {};
  for (const [name, plan] of Object.entries(requests.endpoints)) {
    const { method, expectedStatuses, scheme, eventPrefix, ...rest } = plan;
    shapes[name] = {
      method,
      expectedStatuses,
      ...(scheme ? { scheme } : {}),
      ...(eventPrefix ? { eventPrefix } : {}),
    };
    made[name] = rest;
  }
  return { shapes, made };
}

export const EVENT_ID_PLACEHOLDER = "__HARNESS_EVENT_ID__";

/** The environment variables the harness sets for k6. */
export const K6_ENV = {
  plan: "HARNESS_K6_PLAN",
  /** The requests file (EndpointRequests by endpoint): credentials, so read only at run time. */
  requests: "HARNESS_K6_REQUESTS",
  summary: "HARNESS_K6_SUMMARY",
} as const;

/** The variable an endpoint's signing secret reaches k6 in: HARNESS_SECRET_<ENDPOINT>. */
export function secretEnv(endpoint: string): string {
  return `HARNESS_SECRET_${endpoint.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`;
}

/** A template's body for one request: every placeholder replaced (split and join: any JS runtime). */
export function bodyWithEventId(template: string, eventId: string): string {
  return template.split(EVENT_ID_PLACEHOLDER).join(eventId);
}
