import { declaredDefinition } from "./declaredScenarios.ts";
import type { LoadTarget } from "./loadSection.ts";
import {
  type LoadModel,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioDefinition,
  type ScenarioName,
} from "./scenarios.ts";
import { overrideThresholds } from "./thresholds.ts";

/** What the flags say of the scenarios: which run, and what they override. */
export interface ScenarioFlags {
  /** Built-in or declared scenario names, or "all" (every one the target can run). */
  scenarios: readonly string[];
  /** Replaces each scenario's duration. */
  durationSec?: number;
  /** Replaces the closed scenarios' connection count. */
  connections?: number;
  /** Replaces the open scenario's arrival rate. */
  ratePerSec?: number;
  /** Threshold conditions by metric key, from flags (applied after the target's config). */
  thresholds?: Readonly<Record<string, string>>;
}

/**
 * A model with the flags' overrides: --duration and --connections or --rate
 * replace a constant model's; a staged model keeps its stages (they are its
 * duration and its shape).
 */
function overriddenModel(
  model: LoadModel,
  options: Pick<ScenarioFlags, "durationSec" | "connections" | "ratePerSec">,
): LoadModel {
  const duration = options.durationSec ? { durationSec: options.durationSec } : {};
  if (model.kind === "closed")
    return {
      ...model,
      ...duration,
      ...(options.connections ? { connections: options.connections } : {}),
    };
  if (model.kind === "open")
    return {
      ...model,
      ...duration,
      ...(options.ratePerSec ? { ratePerSec: options.ratePerSec } : {}),
    };
  return model;
}

/**
 * The scenarios as this run will drive them, built-in or declared: flags
 * over the target's config over the definitions. Every problem (an unknown
 * scenario, a threshold override that names none) is returned, not thrown.
 */
export function resolveScenarios(
  target: LoadTarget,
  options: ScenarioFlags,
): { scenarios: ScenarioDefinition[]; problems: string[] } {
  const problems: string[] = [];
  const load = target.load;
  const declared = Object.keys(load.scenarios ?? {});
  const builtIn = load.identify && load.webhook ? [...SCENARIO_NAMES] : [];
  const available = [...builtIn, ...declared];
  const names = options.scenarios.flatMap((n) => (n === "all" ? available : [n]));
  for (const name of names)
    if (!available.includes(name))
      problems.push(
        (SCENARIO_NAMES as readonly string[]).includes(name)
          ? `--scenario ${name}: the built-in scenarios need load.identify and load.webhook (the Curva × Pasukuru shape); targets.${target.name} declares ${declared.join(", ") || "no scenarios"}.`
          : `--scenario ${name}: targets.${target.name} has no such scenario; it has ${available.join(", ") || "none"}.`,
      );
  if (problems.length > 0) return { scenarios: [], problems };
  const scenarios = [...new Set(names)].map((name): ScenarioDefinition => {
    const own = load.scenarios?.[name];
    const definition = own ? declaredDefinition(name, own) : SCENARIOS[name as ScenarioName];
    const model = overriddenModel(definition.model, options);
    const fromConfig = overrideThresholds(
      definition.thresholds,
      pick(target.load.thresholds ?? {}, name),
      `targets.${target.name}: load.thresholds`,
    );
    const fromFlags = overrideThresholds(
      fromConfig.specs,
      pick(options.thresholds ?? {}, name),
      "--threshold",
    );
    problems.push(...fromConfig.problems, ...fromFlags.problems);
    return { ...definition, model, thresholds: fromFlags.specs };
  });
  // An override for a scenario not in this run is not an error; one for no scenario at all is.
  for (const [source, overrides] of [
    [`targets.${target.name}: load.thresholds`, target.load.thresholds ?? {}],
    ["--threshold", options.thresholds ?? {}],
  ] as const) {
    for (const key of Object.keys(overrides)) {
      if (![...SCENARIO_NAMES, ...declared].some((s) => key.includes(`scenario:${s}`)))
        problems.push(
          `${source}: ${key} names no scenario; write it as metric{scenario:<name>,…}.`,
        );
    }
  }
  return { scenarios, problems: [...new Set(problems)] };
}

/** The overrides whose key names this scenario. */
function pick(
  overrides: Readonly<Record<string, string>>,
  scenario: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(overrides).filter(([key]) => key.includes(`scenario:${scenario}`)),
  );
}
