import type { LoadSection } from "../../lib/config/loadProfile.ts";
import type { TargetProfile } from "../../lib/config/targetProfile.ts";
import { parseCondition } from "../../lib/thresholdCondition.ts";
import { DECLARED_METRICS, parseKey } from "./declaredScenarios.ts";
import { SCENARIO_NAMES } from "./scenarios.ts";

/*
 * What the load schema (lib/config/schemas/loadSchema.ts) cannot know of
 * the scenarios a target declares, because it is this suite's: the
 * built-in names, that endpoint names are unique across scenarios, and
 * which metric keys and aggregations both engines can judge. Read
 * defensively: the schema's problems are listed beside these.
 */

/** What both engines can judge each metric on (k6 could read more; the Node engine must too). */
const JUDGED_ON: Record<string, string[]> = {
  http_req_duration: ["percentile", "avg", "max"],
  http_req_failed: ["rate"],
  http_5xx: ["rate"],
  http_errors: ["rate"],
  dropped_iterations: ["count"],
  db_pool_exhausted: ["count"],
};

function thresholdProblems(
  k: (x: string) => string,
  scenario: { requests?: unknown; model?: unknown; thresholds?: unknown },
): string[] {
  const p: string[] = [];
  const requests = Array.isArray(scenario.requests) ? scenario.requests : [];
  const requestNames = new Set(requests.map((r) => (r as { name?: unknown })?.name));
  const kind = (scenario.model as { kind?: string } | undefined)?.kind;
  const thresholds =
    typeof scenario.thresholds === "object" && scenario.thresholds !== null
      ? Object.entries(scenario.thresholds)
      : [];
  for (const [key, condition] of thresholds) {
    const parsed = parseKey(key);
    if (!parsed || !Object.hasOwn(DECLARED_METRICS, parsed.metric)) {
      p.push(
        `${k("thresholds")}: ${JSON.stringify(key)} is not a metric key; use one of ${Object.keys(DECLARED_METRICS).join(", ")}, with tags as {endpoint:<name>}.`,
      );
    } else {
      if (parsed.tags.scenario !== undefined)
        p.push(`${k("thresholds")}: ${key}: leave the scenario tag out (it is added).`);
      // A closed model never drops a start: such a threshold could only ever "pass" on no sample.
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
      const judged = JUDGED_ON[parsed.metric] ?? [];
      if (agg && !judged.includes(agg.kind))
        p.push(
          `${k("thresholds")}: ${key}: ${condition} is judged on ${agg.kind}; ${parsed.metric} is judged on ${judged.map((x) => (x === "percentile" ? "p(N)" : x)).join(", ")}.`,
        );
      if (parsed.metric === "http_req_duration" && parsed.tags.endpoint === undefined)
        p.push(
          `${k("thresholds")}: ${key}: name the endpoint, e.g. http_req_duration{endpoint:<name>}.`,
        );
    }
    if (typeof condition === "string" && parseCondition(condition) === undefined)
      p.push(
        `${k("thresholds")}: ${JSON.stringify(condition)} (for ${key}) is not a condition; use k6 syntax, e.g. p(95)<50, rate==0, count==0.`,
      );
  }
  return p;
}

/** The declared scenarios' problems this suite knows of (the schema's are listed beside them). */
export function declaredScenarioProblems(profile: TargetProfile, load: LoadSection): string[] {
  const p: string[] = [];
  const at = (key: string) => `targets.${profile.name}: load.scenarios.${key}`;
  const endpointsSeen = new Map<string, string>();
  const scenarios =
    typeof load.scenarios === "object" && load.scenarios !== null
      ? Object.entries(load.scenarios)
      : [];
  for (const [name, scenario] of scenarios) {
    const k = (x: string) => at(`${name}.${x}`);
    if ((SCENARIO_NAMES as readonly string[]).includes(name))
      p.push(`${at(name)}: ${name} is a built-in scenario; give the declared one another name.`);
    const requests = Array.isArray(scenario?.requests) ? scenario.requests : [];
    for (const [i, r] of requests.entries()) {
      if (typeof r?.name !== "string") continue;
      const rk = k(`requests[${i}].name`);
      if (r.name === "identify" || r.name === "webhook")
        p.push(`${rk}: ${r.name} is a built-in endpoint; give this one another name.`);
      else if (endpointsSeen.has(r.name))
        p.push(
          `${rk}: ${r.name} is already an endpoint of ${endpointsSeen.get(r.name)}; endpoint names are unique across load.scenarios.`,
        );
      else endpointsSeen.set(r.name, name);
    }
    if (scenario) p.push(...thresholdProblems(k, scenario));
  }
  return p;
}
