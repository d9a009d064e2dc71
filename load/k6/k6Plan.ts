import type { ExpectedStatus } from "../../lib/expectedStatuses.ts";
import type { SigningScheme } from "../../lib/webhookSigning.ts";
import type { K6Options } from "./k6Options.ts";

/**
 * What the harness prepares for one k6 run, written to a private temp file
 * (never the report dir: identify bodies carry test users' id tokens) and
 * read by the script in its init stage. Secrets are not in it: the webhook
 * signing secret reaches k6 through __ENV only. Runtime-neutral.
 */
export interface K6Plan {
  options: K6Options;
  identify?: {
    url: string;
    headers: Record<string, string>;
    /** Answers that count as expected (k6's http_req_failed, set per request). */
    expectedStatuses: ExpectedStatus[];
    /** One request body per minted test user, used in turn. */
    bodies: string[];
  };
  webhook?: {
    url: string;
    headers: Record<string, string>;
    /** Answers that count as expected (k6's http_req_failed, set per request). */
    expectedStatuses: ExpectedStatus[];
    /** The event as JSON text, with EVENT_ID_PLACEHOLDER where each delivery's own id goes. */
    template: string;
    scheme: SigningScheme;
    /** Unique per run: event ids are `<prefix>_<vu>_<iteration>`. */
    eventPrefix: string;
  };
}

export const EVENT_ID_PLACEHOLDER = "__HARNESS_EVENT_ID__";

/** The environment variables the harness sets for k6. */
export const K6_ENV = {
  plan: "HARNESS_K6_PLAN",
  summary: "HARNESS_K6_SUMMARY",
  webhookSecret: "HARNESS_WEBHOOK_SECRET",
} as const;
