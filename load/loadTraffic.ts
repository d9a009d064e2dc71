import { randomBytes } from "node:crypto";
import type { Dispatcher } from "undici";
import { testUserDisplayName } from "../lib/drivers/runId.ts";
import { nodeHmac } from "../lib/nodeHmac.ts";
import { signatureHeaders } from "../lib/webhookSigning.ts";
import type { EndpointTraffic } from "./engine/traffic.ts";
import { EVENT_ID_PLACEHOLDER } from "./k6/k6Plan.ts";
import type { LoadRequests, TestIdentity } from "./loadRequests.ts";
import type { LoadTarget } from "./loadSection.ts";
import type { EndpointName } from "./scenarios.ts";

function origin(url: string): { origin: string; basePath: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, "") };
}

/** The Node engine's side of `LoadRequests`: identify's bodies in turn; each webhook a new event, signed at send time (a 10-minute run outlives a 300 s tolerance). */
export function loadTraffic(
  requests: LoadRequests,
  signingSecret: string,
): Partial<Record<EndpointName, EndpointTraffic>> {
  const traffic: Partial<Record<EndpointName, EndpointTraffic>> = {};
  const identify = requests.identify;
  if (identify) {
    const at = origin(identify.url);
    let nextUser = 0;
    const identifyNext = () => ({
      method: "POST" as const,
      path: at.basePath,
      headers: identify.headers,
      body: identify.bodies[nextUser++ % identify.bodies.length] as string,
    });
    traffic.identify = {
      endpoint: "identify",
      origin: at.origin,
      next: identifyNext,
      // A connection is one user entering through LIFF: its request is built once.
      perConnection: identifyNext,
    };
  }
  const webhook = requests.webhook;
  if (webhook) {
    const at = origin(webhook.url);
    let nextEvent = 0;
    traffic.webhook = {
      endpoint: "webhook",
      origin: at.origin,
      next: () => {
        const eventId = `${webhook.eventPrefix}_${nextEvent++}`;
        // Every occurrence, as the k6 script does (split and join: no replaceAll in older k6).
        const body = webhook.template.split(EVENT_ID_PLACEHOLDER).join(eventId);
        const signature = signatureHeaders(
          webhook.scheme,
          { secret: signingSecret, id: eventId, timestampSec: Math.floor(Date.now() / 1000), body },
          nodeHmac,
        );
        return {
          method: "POST",
          path: at.basePath,
          headers: { ...webhook.headers, ...signature },
          body,
        };
      },
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
  for (let i = 0; i < count && !signal?.aborted; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, () =>
        target.load.mintIdToken(
          { sub: `U${randomBytes(16).toString("hex")}`, name },
          { timeoutMs: requestTimeoutMs, agent, ...(signal ? { signal } : {}) },
        ),
      ),
    );
    identities.push(...batch.map(({ sub, idToken }) => ({ sub, idToken })));
  }
  return identities;
}
