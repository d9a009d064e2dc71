import { parseDuration } from "../lib/config/parseDuration.ts";
import { OVERRIDE_EXAMPLE, parseOverride } from "../lib/thresholdCondition.ts";
import { SCENARIO_NAMES } from "../load/scenarios/scenarios.ts";
import { CLI_DEFAULTS } from "./cliOptions.ts";
import type { NumberReader, OptionGetter } from "./optionValue.ts";

export type EngineChoice = "auto" | "node" | "k6";

const ENGINES: readonly EngineChoice[] = ["auto", "node", "k6"];
/** No load run may last longer than this per scenario: every run stops by itself. */
const MAX_LOAD_MS = 2 * 3_600_000;

/** `harness load`: what runs, on which engine, for how long, how hard, and judged how. */
export interface LoadOptions {
  /** The scenarios to run, in order (names, or "all"); checked against the target's own. */
  scenarios: string[];
  engine: EngineChoice;
  durationSec: number | undefined;
  connections: number | undefined;
  ratePerSec: number | undefined;
  /** Threshold conditions by metric key. */
  thresholds: Record<string, string>;
}

/** Resolves the load flags; problems go to `problems`. */
export function loadOptions(
  get: OptionGetter,
  number: NumberReader,
  problems: string[],
): LoadOptions {
  const { value: scenarioText = CLI_DEFAULTS.scenario, from: scenarioFrom } = get("scenario");
  // Names are checked against the target's scenarios once its profile is known (built-in or declared).
  const scenarios = scenarioText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (scenarios.length === 0 || !scenarios.every((s) => /^[a-z][a-zA-Z0-9_-]{0,39}$/.test(s)))
    problems.push(
      `${scenarioFrom}="${scenarioText}" is not a scenario. Use ${SCENARIO_NAMES.join(", ")}, a scenario the target declares, a comma-separated list of them, or all.`,
    );
  const { value: engineText = CLI_DEFAULTS.engine, from: engineFrom } = get("engine");
  if (!ENGINES.includes(engineText as EngineChoice))
    problems.push(`${engineFrom}="${engineText}" is not an engine. Use ${ENGINES.join(", ")}.`);
  const { value: durationText, from: durationFrom } = get("duration");
  const durationMs = durationText === undefined ? undefined : parseDuration(durationText);
  if (
    durationText !== undefined &&
    (durationMs === undefined || durationMs < 1_000 || durationMs > MAX_LOAD_MS)
  )
    problems.push(
      `${durationFrom}="${durationText}" is not a load duration. Use 1s to 2h, e.g. 30s or 10m.`,
    );
  const thresholds: Record<string, string> = {};
  const { value: thresholdText, from: thresholdFrom } = get("threshold");
  for (const part of (thresholdText ?? "")
    .split(/[;\n]/)
    .map((t) => t.trim())
    .filter(Boolean)) {
    const override = parseOverride(part);
    if (!override) {
      problems.push(
        `${thresholdFrom}: "${part}" is not metric{tags}=condition, e.g. ${OVERRIDE_EXAMPLE}.`,
      );
      continue;
    }
    thresholds[override.key] = override.condition;
  }
  return {
    scenarios,
    engine: ENGINES.includes(engineText as EngineChoice) ? (engineText as EngineChoice) : "auto",
    durationSec:
      durationMs !== undefined && durationMs >= 1_000 && durationMs <= MAX_LOAD_MS
        ? Math.round(durationMs / 1000)
        : undefined,
    connections: number("connections", "a number of connections", 10_000, true),
    ratePerSec: number("rate", "an arrival rate", 10_000, false),
    thresholds,
  };
}
