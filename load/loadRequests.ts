import { randomBytes } from "node:crypto";
import { testUserDisplayName } from "../lib/drivers/runId.ts";
import { DEFAULT_EXPECTED_STATUSES } from "../lib/expectedStatuses.ts";
import { type EndpointPlan, EVENT_ID_PLACEHOLDER, type LoadRequests } from "./k6format/k6Plan.ts";
import { declaredEndpoints } from "./scenarios/declaredScenarios.ts";
import type { LoadTarget } from "./scenarios/loadSection.ts";

/** A minted test user: its id token is a credential, never reported. */
export interface TestIdentity {
  sub: string;
  idToken: string;
}

/**
 * The requests of a run, from the profile's load section: identify's body
 * per test user (used in turn), and the webhook event as a template with
 * EVENT_ID_PLACEHOLDER where each delivery's own id goes (signed at send
 * time, each engine with the scheme named here). Event ids are
 * `<eventPrefix>_…`, the prefix minted here once a run: unique across runs
 * and processes (the run id alone repeats in a restarted run).
 */
export function loadRequests(
  target: LoadTarget,
  runId: string,
  identities: readonly TestIdentity[],
): LoadRequests {
  const { load } = target;
  const displayName = testUserDisplayName(runId);
  const identifyIds = (user: TestIdentity) => ({
    runId,
    lineUserId: user.sub,
    displayName,
    idToken: user.idToken,
  });
  const first = identities[0];
  const endpoints: Record<string, EndpointPlan> = {};
  const identify = load.identify;
  if (first && identify)
    endpoints.identify = {
      url: `${target.services[identify.service]?.url}${identify.path(identifyIds(first))}`,
      method: "POST",
      headers: { "content-type": "application/json", ...identify.headers },
      expectedStatuses: [...(identify.expectedStatuses ?? DEFAULT_EXPECTED_STATUSES)],
      bodies: identities.map((user) => JSON.stringify(identify.body?.(identifyIds(user)) ?? {})),
    };
  const webhook = load.webhook;
  const eventPrefix = `evt_load_${randomBytes(4).toString("hex")}`;
  if (webhook)
    endpoints.webhook = {
      url: `${target.services[webhook.service]?.url}${webhook.path}`,
      method: "POST",
      headers: { "content-type": "application/json" },
      expectedStatuses: [...(webhook.expectedStatuses ?? DEFAULT_EXPECTED_STATUSES)],
      template: JSON.stringify(
        webhook.eventBody({
          eventId: EVENT_ID_PLACEHOLDER,
          runId,
          // One user for every delivery of the run: the deliveries are what is measured.
          lineUserId: `U${randomBytes(16).toString("hex")}`,
        }),
      ),
      scheme: webhook.signing.scheme,
      eventPrefix,
    };
  Object.assign(endpoints, declaredEndpoints(target, load, runId, eventPrefix, identities));
  return { endpoints };
}
