import { randomBytes } from "node:crypto";
import type { Dispatcher } from "undici";
import type { RunIds } from "../lib/config/targetProfile.ts";
import { testUserDisplayName } from "../lib/drivers/runId.ts";
import { nodeHmac } from "../lib/nodeHmac.ts";
import { signatureHeaders } from "../lib/webhookSigning.ts";
import type { EndpointTraffic } from "./engine/traffic.ts";
import type { LoadTarget } from "./loadSection.ts";
import type { EndpointName } from "./scenarios.ts";

/** A minted test user: its id token is a credential, never reported. */
export interface TestIdentity {
  sub: string;
  idToken: string;
}

function origin(url: string): { origin: string; basePath: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, basePath: parsed.pathname.replace(/\/+$/, "") };
}

/**
 * What each endpoint's requests are, built from the profile's load section:
 * identify with the minted users in turn; webhook deliveries, each a new
 * event signed at send time (a 10-minute run outlives a 300 s tolerance).
 */
export function loadTraffic(
  target: LoadTarget,
  runId: string,
  identities: readonly TestIdentity[],
): Record<EndpointName, EndpointTraffic> {
  const { load } = target;
  const displayName = testUserDisplayName(runId);
  const identify = origin(target.services[load.identify.service].url);
  const webhook = origin(target.services[load.webhook.service].url);
  let nextUser = 0;
  let nextEvent = 0;
  // Events are unique across runs and processes: the run id alone repeats in a restarted run.
  const eventPrefix = `evt_load_${randomBytes(4).toString("hex")}`;
  const webhookUser = `U${randomBytes(16).toString("hex")}`;
  const identifyNext = () => {
    const user = identities[nextUser++ % identities.length] as TestIdentity;
    const ids: RunIds = { runId, lineUserId: user.sub, displayName, idToken: user.idToken };
    return {
      method: "POST" as const,
      path: `${identify.basePath}${load.identify.path(ids)}`,
      headers: { "content-type": "application/json", ...load.identify.headers },
      body: JSON.stringify(load.identify.body?.(ids) ?? {}),
    };
  };
  return {
    identify: {
      endpoint: "identify",
      origin: identify.origin,
      next: identifyNext,
      // A connection is one user entering through LIFF: its request is built once.
      perConnection: identifyNext,
    },
    webhook: {
      endpoint: "webhook",
      origin: webhook.origin,
      next: () => {
        const eventId = `${eventPrefix}_${nextEvent++}`;
        const body = JSON.stringify(
          load.webhook.eventBody({ eventId, runId, lineUserId: webhookUser }),
        );
        const signature = signatureHeaders(
          load.webhook.signing.scheme,
          {
            secret: load.webhook.signing.secret,
            id: eventId,
            timestampSec: Math.floor(Date.now() / 1000),
            body,
          },
          nodeHmac,
        );
        return {
          method: "POST",
          path: `${webhook.basePath}${load.webhook.path}`,
          headers: { "content-type": "application/json", ...signature },
          body,
        };
      },
    },
  };
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
