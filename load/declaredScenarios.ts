import type {
  DeclaredModel,
  DeclaredScenario,
  LoadSection,
  TargetProfile,
} from "../lib/config/targetProfile.ts";
import { DEFAULT_EXPECTED_STATUSES, expectedStatusesProblems } from "../lib/expectedStatuses.ts";
import { parseCondition } from "../lib/thresholdCondition.ts";
import { isSigningScheme, SIGNING_SCHEMES, signingSecretProblem } from "../lib/webhookSigning.ts";
import { type EndpointPlan, EVENT_ID_PLACEHOLDER } from "./k6/k6Plan.ts";
import {
  commonThresholds,
  type LoadModel,
  SCENARIO_NAMES,
  type ScenarioDefinition,
} from "./scenarios.ts";
import { stagesDurationSec, stagesPeak } from "./stages.ts";
import { metricKey, type ThresholdSpec, type ThresholdUnit } from "./thresholds.ts";

/*
 * Scenarios a target declares in its load section (`load.scenarios`): any
 * endpoints of its services, a model (constant or in stages) and thresholds
 * in k6 syntax. Validated with the rest of the profile (every problem
 * listed), turned into the same ScenarioDefinition and EndpointPlan the
 * built-in scenarios are, so both engines run them and one evaluator judges.
 */

const NAME = /^[a-z][a-zA-Z0-9_-]{0,39}$/;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** The runner may take at most this long per scenario (as the CLI's --duration). */
const MAX_DURATION_SEC = 2 * 3600;
/** Generous but finite: a declared rate or VU count above this is a typo. */
const MAX_RATE = 100_000;

/** The metrics a declared threshold may name, and their units. */
const METRICS: Readonly<Record<string, ThresholdUnit>> = {
  http_req_duration: "ms",
  http_req_failed: "ratio",
  http_5xx: "ratio",
  http_errors: "ratio",
  dropped_iterations: "count",
  db_pool_exhausted: "count",
};

const positive = (v: unknown, max: number) =>
  typeof v === "number" && Number.isFinite(v) && v > 0 && v <= max;
const whole = (v: unknown, max: number) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

function modelProblems(at: (k: string) => string, model: DeclaredModel | undefined): string[] {
  const p: string[] = [];
  const kinds = ["closed", "open", "rampingVus", "rampingArrivalRate"];
  if (!model || !kinds.includes(model.kind)) {
    p.push(
      `${at("model.kind")} is ${JSON.stringify(model?.kind)}; use one of ${kinds.join(", ")}.`,
    );
    return p;
  }
  if (model.kind === "closed" || model.kind === "open") {
    if (!positive(model.durationSec, MAX_DURATION_SEC))
      p.push(
        `${at("model.durationSec")} must be a number of seconds above 0, at most ${MAX_DURATION_SEC}.`,
      );
    if (model.kind === "closed" && !(whole(model.connections, MAX_RATE) && model.connections > 0))
      p.push(`${at("model.connections")} must be a whole number from 1 to ${MAX_RATE}.`);
    if (model.kind === "open" && !positive(model.ratePerSec, MAX_RATE))
      p.push(`${at("model.ratePerSec")} must be requests per second above 0, at most ${MAX_RATE}.`);
  } else {
    if (!Array.isArray(model.stages) || model.stages.length === 0)
      p.push(`${at("model.stages")} must list stages, e.g. [{ durationSec: 30, target: 100 }].`);
    for (const [i, stage] of (Array.isArray(model.stages) ? model.stages : []).entries()) {
      if (!positive(stage?.durationSec, MAX_DURATION_SEC))
        p.push(`${at(`model.stages[${i}].durationSec`)} must be seconds above 0.`);
      if (!whole(stage?.target, MAX_RATE))
        p.push(`${at(`model.stages[${i}].target`)} must be a whole number from 0 to ${MAX_RATE}.`);
    }
    const start = model.kind === "rampingVus" ? model.startVus : model.startRate;
    if (start !== undefined && !whole(start, MAX_RATE))
      p.push(
        `${at(model.kind === "rampingVus" ? "model.startVus" : "model.startRate")} must be a whole number from 0.`,
      );
    if (Array.isArray(model.stages) && stagesDurationSec(model.stages) > MAX_DURATION_SEC)
      p.push(`${at("model.stages")} last longer than ${MAX_DURATION_SEC} s together.`);
  }
  if (
    (model.kind === "open" || model.kind === "rampingArrivalRate") &&
    model.maxInFlight !== undefined
  )
    if (!(whole(model.maxInFlight, MAX_RATE) && model.maxInFlight > 0))
      p.push(`${at("model.maxInFlight")} must be a whole number from 1.`);
  return p;
}

/** `metric{tag:value,…}` → metric and tags; undefined when it is not written that way. */
function parseKey(key: string): { metric: string; tags: Record<string, string> } | undefined {
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

/** Every problem of the declared scenarios; the profile's services and the built-in names are known here. */
export function declaredScenarioProblems(profile: TargetProfile, load: LoadSection): string[] {
  const p: string[] = [];
  const at = (key: string) => `targets.${profile.name}: load.scenarios.${key}`;
  const endpointsSeen = new Map<string, string>();
  for (const [name, scenario] of Object.entries(load.scenarios ?? {})) {
    const k = (x: string) => at(`${name}.${x}`);
    if (!NAME.test(name))
      p.push(
        `${at(name)}: a scenario name is a letter, then letters, digits, _ or - (at most 40).`,
      );
    if ((SCENARIO_NAMES as readonly string[]).includes(name))
      p.push(`${at(name)}: ${name} is a built-in scenario; give the declared one another name.`);
    if (!Array.isArray(scenario?.requests) || scenario.requests.length === 0) {
      p.push(`${k("requests")} must list at least one request ({ name, service, method, path }).`);
    }
    for (const [i, r] of (Array.isArray(scenario?.requests) ? scenario.requests : []).entries()) {
      const rk = (x: string) => k(`requests[${i}].${x}`);
      const known = [
        "name",
        "service",
        "method",
        "path",
        "headers",
        "body",
        "signing",
        "expectedStatuses",
        "identity",
      ];
      for (const key of Object.keys(r ?? {}))
        if (!known.includes(key))
          p.push(`${rk(key)} is not a key of a request; known: ${known.join(", ")}.`);
      if (typeof r?.name !== "string" || !NAME.test(r.name))
        p.push(
          `${rk("name")} is ${JSON.stringify(r?.name)}: an endpoint name is a letter, then letters, digits, _ or -.`,
        );
      else if (r.name === "identify" || r.name === "webhook")
        p.push(`${rk("name")}: ${r.name} is a built-in endpoint; give this one another name.`);
      else if (endpointsSeen.has(r.name))
        p.push(
          `${rk("name")}: ${r.name} is already an endpoint of ${endpointsSeen.get(r.name)}; endpoint names are unique across load.scenarios.`,
        );
      else endpointsSeen.set(r.name, name);
      if (typeof r?.service !== "string" || !Object.hasOwn(profile.services, r.service))
        p.push(
          `${rk("service")} is ${JSON.stringify(r?.service)}; use one of the target's services: ${Object.keys(profile.services).join(", ")}.`,
        );
      if (!METHODS.includes(r?.method))
        p.push(
          `${rk("method")} is ${JSON.stringify(r?.method)}; use one of ${METHODS.join(", ")}.`,
        );
      if (typeof r?.path !== "string" || !r.path.startsWith("/"))
        p.push(`${rk("path")} is ${JSON.stringify(r?.path)}: a path starts with /.`);
      if (r?.body !== undefined && typeof r.body !== "string")
        p.push(`${rk("body")} must be the body as text (a template: {{eventId}}, {{runId}}).`);
      if (r?.signing !== undefined) {
        if (!isSigningScheme(r.signing?.scheme))
          p.push(
            `${rk("signing.scheme")} is ${JSON.stringify(r.signing?.scheme)}; allowed: ${SIGNING_SCHEMES.map((s) => JSON.stringify(s)).join(", ")}.`,
          );
        if (typeof r.signing?.secret !== "string" || r.signing.secret === "")
          p.push(`${rk("signing.secret")} is missing: read it from the environment.`);
        else if (isSigningScheme(r.signing.scheme)) {
          const problem = signingSecretProblem(r.signing.scheme, r.signing.secret);
          if (problem) p.push(`${rk("signing.secret")} is not usable: ${problem}.`);
        }
      }
      p.push(...expectedStatusesProblems(rk("expectedStatuses"), r?.expectedStatuses));
      if (r?.identity !== undefined) {
        if (r.identity !== "testUser")
          p.push(
            `${rk("identity")} is ${JSON.stringify(r.identity)}; the one identity source is "testUser".`,
          );
        else if (typeof load.mintIdToken !== "function")
          p.push(
            `${rk("identity")}: "testUser" needs load.mintIdToken, to mint the run's test users.`,
          );
        if (
          r.signing !== undefined ||
          (typeof r.body === "string" && r.body.includes("{{eventId}}"))
        )
          p.push(
            `${rk("identity")}: a test user's request is built once per user: no {{eventId}} or signing with it.`,
          );
      }
    }
    p.push(...modelProblems(k, scenario?.model));
    const requestNames = new Set((scenario?.requests ?? []).map((r) => r?.name));
    for (const [key, condition] of Object.entries(scenario?.thresholds ?? {})) {
      const parsed = parseKey(key);
      if (!parsed || !Object.hasOwn(METRICS, parsed.metric))
        p.push(
          `${k(`thresholds`)}: ${JSON.stringify(key)} is not a metric key; use one of ${Object.keys(METRICS).join(", ")}, with tags as {endpoint:<name>}.`,
        );
      else {
        if (parsed.tags.scenario !== undefined)
          p.push(`${k("thresholds")}: ${key}: leave the scenario tag out (it is added).`);
        if (parsed.tags.endpoint !== undefined && !requestNames.has(parsed.tags.endpoint))
          p.push(
            `${k("thresholds")}: ${key}: ${parsed.tags.endpoint} is not a request of this scenario.`,
          );
        if (parsed.metric === "http_req_duration" && parsed.tags.endpoint === undefined)
          p.push(
            `${k("thresholds")}: ${key}: name the endpoint, e.g. http_req_duration{endpoint:<name>}.`,
          );
      }
      if (typeof condition !== "string" || parseCondition(condition) === undefined)
        p.push(
          `${k("thresholds")}: ${JSON.stringify(condition)} (for ${key}) is not a condition; use k6 syntax, e.g. p(95)<50, rate==0, count==0.`,
        );
    }
  }
  return p;
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
        unit: METRICS[metric] as ThresholdUnit,
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
