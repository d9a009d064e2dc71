import type { DeclaredModel, DeclaredScenario, LoadSection } from "../../lib/config/loadProfile.ts";
import type { TargetProfile } from "../../lib/config/targetProfile.ts";
import { DEFAULT_EXPECTED_STATUSES } from "../../lib/expectedStatuses.ts";
import { type EndpointPlan, EVENT_ID_PLACEHOLDER } from "../k6format/k6Plan.ts";
import { commonThresholds, type LoadModel, type ScenarioDefinition } from "./scenarios.ts";
import { stagesDurationSec, stagesPeak } from "./stages.ts";
import { metricKey, type ThresholdSpec, type ThresholdUnit } from "./thresholds.ts";

/*
 * Scenarios a target declares in its load section (`load.scenarios`): any
 * endpoints of its services, a model (constant or in stages) and thresholds
 * in k6 syntax. Validated with the rest of the profile (every problem
 * listed), turned into the same ScenarioDefinition and EndpointPlan the
 * built-in scenarios are, so both engines run them and one evaluator judges.
 */

/** The metrics a declared threshold may name (the problems check them), and their units. */
export const DECLARED_METRICS: Readonly<Record<string, ThresholdUnit>> = {
  http_req_duration: "ms",
  http_req_failed: "ratio",
  http_5xx: "ratio",
  http_errors: "ratio",
  dropped_iterations: "count",
  db_pool_exhausted: "count",
};

/** `metric{tag:value,…}` → metric and tags; undefined when it is not written that way. */
export function parseKey(
  key: string,
): { metric: string; tags: Record<string, string> } | undefined {
  const m = /^([a-z_]+)(?:\{([^}]*)\})?$/.exec(key);
  if (!m?.[1]) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of (m[2] ?? "").split(",").filter(Boolean)) {
    const [k, v, ...rest] = pair.split(":");
    if (!k || !v || rest.length > 0) return undefined;
    tags[k.trim()] = v.trim();
  }
  return { metric: m[1], tags };
}

/** A declared model as the engines take it: stages' duration summed, starts at 0, in-flight bounded. */
function loadModel(model: DeclaredModel): LoadModel {
  switch (model.kind) {
    case "closed":
      return { ...model };
    case "open":
      return {
        ...model,
        // Two seconds of the rate in flight, at least 100: room to fall behind before dropping.
        maxInFlight: model.maxInFlight ?? Math.max(100, Math.ceil(model.ratePerSec * 2)),
      };
    case "rampingVus":
      return {
        kind: "rampingVus",
        startVus: model.startVus ?? 0,
        stages: model.stages,
        durationSec: stagesDurationSec(model.stages),
      };
    case "rampingArrivalRate": {
      const startRate = model.startRate ?? 0;
      return {
        kind: "rampingArrivalRate",
        startRate,
        stages: model.stages,
        durationSec: stagesDurationSec(model.stages),
        maxInFlight:
          model.maxInFlight ?? Math.max(100, Math.ceil(stagesPeak(startRate, model.stages) * 2)),
      };
    }
  }
}

/** A declared scenario as a definition both engines run: its thresholds, the common ones unless replaced. */
export function declaredDefinition(name: string, scenario: DeclaredScenario): ScenarioDefinition {
  const model = loadModel(scenario.model);
  const open = model.kind === "open" || model.kind === "rampingArrivalRate";
  const declared: ThresholdSpec[] = Object.entries(scenario.thresholds ?? {}).map(
    ([key, condition]) => {
      const { metric, tags } = parseKey(key) as { metric: string; tags: Record<string, string> };
      return {
        name: `${name} ${key}`,
        metric,
        tags: { scenario: name, ...tags },
        condition,
        unit: DECLARED_METRICS[metric] as ThresholdUnit,
        k6: metric !== "db_pool_exhausted",
        hint: `${name}: ${key} must be ${condition}.`,
      };
    },
  );
  const keys = new Set(declared.map(metricKey));
  return {
    name,
    description:
      scenario.description ??
      `${scenario.requests.map((r) => `${r.method} ${r.path}`).join(", ")}, declared by the target`,
    model,
    endpoints: scenario.requests.map((r) => r.name),
    serviceOf: Object.fromEntries(scenario.requests.map((r) => [r.name, r.service])),
    thresholds: [
      ...commonThresholds(name, open).filter((t) => !keys.has(metricKey(t))),
      ...declared,
    ],
  };
}

/** The endpoints of every declared scenario, as both engines read them (the run id and its event prefix filled in). */
export function declaredEndpoints(
  profile: TargetProfile,
  load: LoadSection,
  runId: string,
  eventPrefix: string,
  users: readonly { sub: string; idToken: string }[],
): Record<string, EndpointPlan> {
  const out: Record<string, EndpointPlan> = {};
  for (const scenario of Object.values(load.scenarios ?? {}))
    for (const r of scenario.requests) {
      const text = (r.body ?? "").replaceAll("{{runId}}", runId);
      const headers: Record<string, string> = {
        ...(r.body !== undefined ? { "content-type": "application/json" } : {}),
        ...r.headers,
      };
      const url = `${(profile.services[r.service] as { url: string }).url}${r.path}`;
      const expectedStatuses = [...(r.expectedStatuses ?? DEFAULT_EXPECTED_STATUSES)];
      if (r.identity === "testUser") {
        const as = (value: string, u: { sub: string; idToken: string }) =>
          value.replaceAll("{{idToken}}", u.idToken).replaceAll("{{userId}}", u.sub);
        out[r.name] = {
          url,
          method: r.method,
          headers,
          expectedStatuses,
          bodies: users.map((u) => as(text, u)),
          headerSets: users.map((u) =>
            Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, as(v, u)])),
          ),
        };
        continue;
      }
      const perRequest = text.includes("{{eventId}}") || r.signing !== undefined;
      out[r.name] = {
        url,
        method: r.method,
        headers,
        expectedStatuses,
        ...(perRequest
          ? {
              template: text.replaceAll("{{eventId}}", EVENT_ID_PLACEHOLDER),
              eventPrefix: `${eventPrefix}_${r.name}`,
              ...(r.signing ? { scheme: r.signing.scheme } : {}),
            }
          : { bodies: [text] }),
      };
    }
  return out;
}

/** The declared requests' signing secrets by endpoint (never in the plan; k6 gets them in its environment). */
export function declaredSecrets(load: LoadSection): Record<string, string> {
  return Object.fromEntries(
    Object.values(load.scenarios ?? {}).flatMap((s) =>
      s.requests.flatMap((r) => (r.signing ? [[r.name, r.signing.secret]] : [])),
    ),
  );
}

/** The declared endpoints whose requests are the run's test users (they need minting). */
export function testUserEndpoints(load: LoadSection): Set<string> {
  return new Set(
    Object.values(load.scenarios ?? {}).flatMap((s) =>
      s.requests.filter((r) => r.identity === "testUser").map((r) => r.name),
    ),
  );
}
