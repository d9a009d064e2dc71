/*
 * The k6 entry script of the load suite. It imports only k6/* and
 * runtime-neutral modules; the harness bundles it with esbuild into one
 * JavaScript file (what any k6 release, and the k6-operator, can run).
 * Options and thresholds come from the plan the harness generated from the
 * same scenario definitions the Node engine runs.
 */
import crypto from "k6/crypto";
import { SharedArray } from "k6/data";
import exec from "k6/execution";
import http, { type RefinedResponse, type ResponseType } from "k6/http";
import { Rate } from "k6/metrics";
import { type HmacSha256, signatureHeaders } from "../../../../lib/webhookSigning.ts";
import {
  bodyWithEventId,
  type EndpointRequests,
  K6_ENV,
  type K6Plan,
  secretEnv,
} from "../../../k6format/k6Plan.ts";

// Parsed once and shared read-only by every VU.
const plan = new SharedArray("plan", () => [
  JSON.parse(open(__ENV[K6_ENV.plan] ?? "")) as K6Plan,
])[0] as K6Plan;

// What the requests are made of (URLs, headers, identify bodies for 1000 users: large, and
// credentials). Opened only when its variable is set: `k6 archive` runs this init code too,
// and whatever it opens goes into the archive; without the file no request is sent.
const made = new SharedArray("requests", () => [
  __ENV[K6_ENV.requests]
    ? (JSON.parse(open(__ENV[K6_ENV.requests] as string)) as Record<string, EndpointRequests>)
    : {},
])[0] as Record<string, EndpointRequests>;

// A copy: SharedArray's items are frozen, and k6 fills in defaults on the options it is given.
export const options = JSON.parse(JSON.stringify(plan.options)) as K6Plan["options"];

const http5xx = new Rate("http_5xx");
const httpErrors = new Rate("http_errors");
const httpTimeouts = new Rate("http_timeouts");

const k6Hmac: HmacSha256 = (key, message, encoding) =>
  crypto.hmac("sha256", key, message, encoding);

// What counts as http_req_failed, per endpoint: the same statuses the Node engine expects.
const expected = Object.fromEntries(
  Object.entries(plan.endpoints).map(([name, e]) => [
    name,
    http.expectedStatuses(...e.expectedStatuses),
  ]),
);

/** k6's error code for a request that timed out. */
const REQUEST_TIMEOUT_CODE = 1050;

function record(response: RefinedResponse<ResponseType | undefined>, endpoint: string): void {
  const tags = { endpoint };
  http5xx.add(response.status >= 500, tags);
  httpErrors.add(response.status === 0, tags);
  httpTimeouts.add(response.error_code === REQUEST_TIMEOUT_CODE, tags);
}

/** One request to an endpoint of the plan: a body in turn, or the template with its own event id, signed at send time. */
function send(name: string): void {
  const shape = plan.endpoints[name];
  if (!shape) throw new Error(`the plan has no endpoint ${name}`);
  const requests = made[name];
  if (!requests) {
    exec.test.abort(
      `no requests for endpoint ${name}: set ${K6_ENV.requests} to the requests file (harness writes it; on Kubernetes it is the Secret the manifests mount)`,
    );
    return;
  }
  const target = { ...shape, ...requests };
  let body: string;
  let headers = target.headers;
  if (target.bodies) {
    const i = (exec.vu.idInTest + exec.vu.iterationInScenario) % target.bodies.length;
    body = target.bodies[i] ?? "";
    headers = target.headerSets?.[i] ?? headers;
  } else {
    // The iteration's place in the whole test, across every instance of a split run (as the
    // Node engine's open model numbers its starts): unique, and independent of the split.
    const eventId = `${target.eventPrefix ?? "evt"}_${exec.scenario.iterationInTest}`;
    body = bodyWithEventId(target.template ?? "", eventId);
    // Signed at send time: a long run outlives the receiver's timestamp tolerance.
    if (target.scheme)
      headers = {
        ...headers,
        ...signatureHeaders(
          target.scheme,
          {
            secret: __ENV[secretEnv(name)] ?? "",
            id: eventId,
            timestampSec: Math.floor(Date.now() / 1000),
            body,
          },
          k6Hmac,
        ),
      };
  }
  record(
    http.request(target.method, target.url, body, {
      headers,
      tags: { endpoint: name },
      timeout: "10s",
      responseCallback: expected[name],
    }),
    name,
  );
}

/** Every scenario's function: its endpoints in turn, as the Node engine's open model sends them. */
export function run(): void {
  const names = plan.scenarios[exec.scenario.name] ?? [];
  if (names.length === 0)
    throw new Error(`the plan has no endpoints for scenario ${exec.scenario.name}`);
  send(names[exec.scenario.iterationInTest % names.length] as string);
}

/** The summary as JSON for the harness, which turns it into its own result model. */
export function handleSummary(data: unknown): Record<string, string> {
  return { [__ENV[K6_ENV.summary] ?? "k6-summary.json"]: JSON.stringify(data) };
}
