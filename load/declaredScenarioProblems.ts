import type { DeclaredModel, LoadSection } from "../lib/config/loadProfile.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { expectedStatusesProblems } from "../lib/expectedStatuses.ts";
import { parseCondition } from "../lib/thresholdCondition.ts";
import { isSigningScheme, SIGNING_SCHEMES } from "../lib/webhookSchemes.ts";
import { signingSecretProblem } from "../lib/webhookSigning.ts";
import { DECLARED_METRICS, parseKey } from "./declaredScenarios.ts";
import { SCENARIO_NAMES } from "./scenarios.ts";
import { stagesDurationSec } from "./stages.ts";

/*
 * Every problem of the scenarios a target declares (load.scenarios), listed
 * with the rest of the profile's before anything is sent: names, services,
 * methods, paths, bodies, signing, expected statuses, identities, models
 * and thresholds. What they become is declaredScenarios.ts.
 */

const NAME = /^[a-z][a-zA-Z0-9_-]{0,39}$/;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** The runner may take at most this long per scenario (as the CLI's --duration). */
const MAX_DURATION_SEC = 2 * 3600;
/** Generous but finite: a declared rate or VU count above this is a typo. */
const MAX_RATE = 100_000;

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
    // Every stage at 0 from a start of 0: a plan that can never send a request is the config's fault.
    if (
      Array.isArray(model.stages) &&
      model.stages.length > 0 &&
      model.stages.every((stage) => stage?.target === 0) &&
      (start ?? 0) === 0
    )
      p.push(
        `${at("model.stages")}: every target is 0 (and the start too), so the plan would never send a request; give a stage a target above 0.`,
      );
  }
  if (
    model.kind === "open" &&
    positive(model.ratePerSec, MAX_RATE) &&
    positive(model.durationSec, MAX_DURATION_SEC) &&
    model.ratePerSec * model.durationSec < 1
  )
    p.push(
      `${at("model")}: ${model.ratePerSec} requests/s for ${model.durationSec} s is less than one request, so the plan would never send one; raise ratePerSec or durationSec.`,
    );
  if (
    (model.kind === "open" || model.kind === "rampingArrivalRate") &&
    model.maxInFlight !== undefined
  )
    if (!(whole(model.maxInFlight, MAX_RATE) && model.maxInFlight > 0))
      p.push(`${at("model.maxInFlight")} must be a whole number from 1.`);
  return p;
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
      // Unknown keys of a request are the key table's (lib/config/knownKeys.ts), with "did you mean".
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
      if (!parsed || !Object.hasOwn(DECLARED_METRICS, parsed.metric))
        p.push(
          `${k(`thresholds`)}: ${JSON.stringify(key)} is not a metric key; use one of ${Object.keys(DECLARED_METRICS).join(", ")}, with tags as {endpoint:<name>}.`,
        );
      else {
        if (parsed.tags.scenario !== undefined)
          p.push(`${k("thresholds")}: ${key}: leave the scenario tag out (it is added).`);
        // A closed model never drops a start: such a threshold could only ever "pass" on no sample.
        const kind = (scenario?.model as { kind?: string } | undefined)?.kind;
        if (parsed.metric === "dropped_iterations" && (kind === "closed" || kind === "rampingVus"))
          p.push(
            `${k("thresholds")}: ${key}: a ${kind} model never drops a start, so this threshold could never have a sample; use it with an open or rampingArrivalRate model, or remove it.`,
          );
        if (parsed.tags.endpoint !== undefined && !requestNames.has(parsed.tags.endpoint))
          p.push(
            `${k("thresholds")}: ${key}: ${parsed.tags.endpoint} is not a request of this scenario.`,
          );
        const agg =
          typeof condition === "string" ? parseCondition(condition)?.aggregation : undefined;
        const judgedOn: Record<string, string[]> = {
          http_req_duration: ["percentile", "avg", "max"],
          http_req_failed: ["rate"],
          http_5xx: ["rate"],
          http_errors: ["rate"],
          dropped_iterations: ["count"],
          db_pool_exhausted: ["count"],
        };
        // What both engines can judge the metric on (k6 could read more; the Node engine must too).
        if (agg && !(judgedOn[parsed.metric] ?? []).includes(agg.kind))
          p.push(
            `${k("thresholds")}: ${key}: ${condition} is judged on ${agg.kind}; ${parsed.metric} is judged on ${(judgedOn[parsed.metric] ?? []).map((x) => (x === "percentile" ? "p(N)" : x)).join(", ")}.`,
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
