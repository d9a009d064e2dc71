import { randomBytes } from "node:crypto";
import type { Dispatcher } from "undici";
import { testUserDisplayName } from "../lib/drivers/runId.ts";
import { nodeHmac } from "../lib/nodeHmac.ts";
import { signatureHeaders } from "../lib/webhookSigning.ts";
import type { EndpointTraffic, LoadRequest } from "./engines/node/traffic.ts";
import { bodyWithEventId, type LoadRequests } from "./k6format/k6Plan.ts";
import type { TestIdentity } from "./loadRequests.ts";
import type { LoadTarget } from "./scenarios/loadSection.ts";

function origin(url: string): { origin: string; basePath: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, "") };
}

/**
 * The Node engine's side of `LoadRequests`: each endpoint's bodies in turn
 * (a connection of the closed model keeps one: one user), or a template
 * whose every request gets its own event id, signed at send time (a
 * 10-minute run outlives a 300 s tolerance) with the endpoint's secret.
 */
export function loadTraffic(
  requests: LoadRequests,
  secrets: Readonly<Record<string, string>>,
): Record<string, EndpointTraffic> {
  const traffic: Record<string, EndpointTraffic> = {};
  for (const [endpoint, plan] of Object.entries(requests.endpoints)) {
    const at = origin(plan.url);
    let nextBody = 0;
    let nextEvent = 0;
    const build = (index?: number, turn?: number): LoadRequest => {
      if (plan.bodies) {
        const i = (turn ?? nextBody++) % plan.bodies.length;
        return {
          method: plan.method,
          path: at.basePath,
          headers: plan.headerSets?.[i] ?? plan.headers,
          ...(plan.method === "GET" && plan.bodies[i] === ""
            ? {}
            : { body: plan.bodies[i] as string }),
        };
      }
      // A start's place in the whole schedule (open model), or the next in turn (closed), apart:
      // the same run may send both, on one endpoint, and no two deliveries share an id.
      const eventId = `${plan.eventPrefix ?? "evt"}_${index ?? `c${nextEvent++}`}`;
      const body = bodyWithEventId(plan.template ?? "", eventId);
      const signature = plan.scheme
        ? signatureHeaders(
            plan.scheme,
            {
              secret: secrets[endpoint] ?? "",
              id: eventId,
              timestampSec: Math.floor(Date.now() / 1000),
              body,
            },
            nodeHmac,
          )
        : {};
      return {
        method: plan.method,
        path: at.basePath,
        headers: { ...plan.headers, ...signature },
        body,
      };
    };
    traffic[endpoint] = {
      endpoint,
      origin: at.origin,
      next: build,
      // A connection is one user: a request from a body list is built once for it.
      ...(plan.bodies ? { perConnection: () => build() } : {}),
    };
  }
  return traffic;
}

/** Mints `count` test users through the profile, 50 at a time, each bounded by the request timeout. */
export async function mintIdentities(
  target: LoadTarget,
  runId: string,
  count: number,
  requestTimeoutMs: number,
  agent: Dispatcher,
  signal?: AbortSignal,
): Promise<TestIdentity[]> {
  const identities: TestIdentity[] = [];
  const name = testUserDisplayName(runId);
  const mint = target.load.mintIdToken;
  if (count > 0 && !mint)
    throw new Error("the run needs test users, and load.mintIdToken is not configured");
  for (let i = 0; i < count && !signal?.aborted; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, () =>
        (mint as NonNullable<typeof mint>)(
          { sub: `U${randomBytes(16).toString("hex")}`, name },
          { timeoutMs: requestTimeoutMs, agent, ...(signal ? { signal } : {}) },
        ),
      ),
    );
    identities.push(...batch.map(({ sub, idToken }) => ({ sub, idToken })));
  }
  return identities;
}
