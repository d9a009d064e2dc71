/**
 * Thresholds in k6 syntax, runtime-neutral: the Node engine judges them
 * with `parseCondition` and `holds` (lib/thresholdCondition.ts, the one
 * grammar), and k6 scripts get the same ones through `k6Thresholds`, so
 * both engines enforce identical limits.
 */

import { CONDITION_EXAMPLES, parseCondition } from "../../lib/thresholdCondition.ts";

export type ThresholdUnit = "ms" | "ratio" | "count";

export interface ThresholdSpec {
  /** Readable name, e.g. `identify p95`. */
  name: string;
  /** A k6 metric name, built in (`http_req_duration`, `dropped_iterations`) or the harness's own. */
  metric: string;
  tags: Record<string, string>;
  /** k6 syntax: `p(95)<500`, `rate==0`, `count==0`, `max<1000`, `avg<200`. */
  condition: string;
  unit: ThresholdUnit;
  /** False for what only the harness measures (pool gauges): left out of k6's options. */
  k6: boolean;
  /** One line at the likely cause when it fails. */
  hint: string;
}

/** `http_req_duration{scenario:identify}`: the metric with its tags, as k6 writes a threshold key. */
export function metricKey(spec: Pick<ThresholdSpec, "metric" | "tags">): string {
  const tags = Object.entries(spec.tags).map(([k, v]) => `${k}:${v}`);
  return tags.length > 0 ? `${spec.metric}{${tags.join(",")}}` : spec.metric;
}

/** The `thresholds` of k6's options for these specs (what only the harness measures is left out). */
export function k6Thresholds(specs: readonly ThresholdSpec[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const spec of specs) {
    if (!spec.k6) continue;
    const key = metricKey(spec);
    out[key] = [...(out[key] ?? []), spec.condition];
  }
  return out;
}

/**
 * Replaces conditions by metric key (`http_req_duration{scenario:identify}`),
 * as a target's config or a flag asks; returns the problems with unknown keys
 * or conditions the harness cannot evaluate.
 */
export function overrideThresholds(
  specs: readonly ThresholdSpec[],
  overrides: Readonly<Record<string, string>>,
  source: string,
): { specs: ThresholdSpec[]; problems: string[] } {
  const problems: string[] = [];
  const known = new Set(specs.map(metricKey));
  for (const [key, condition] of Object.entries(overrides)) {
    if (!known.has(key)) {
      problems.push(`${source}: no threshold on ${key}; known: ${[...known].join(", ")}.`);
    } else if (!parseCondition(condition)) {
      problems.push(
        `${source}: "${condition}" (for ${key}) is not a condition; use k6 syntax such as ${CONDITION_EXAMPLES}.`,
      );
    }
  }
  return {
    specs: specs.map((spec) => {
      const condition = overrides[metricKey(spec)];
      return condition !== undefined && parseCondition(condition) ? { ...spec, condition } : spec;
    }),
    problems,
  };
}
