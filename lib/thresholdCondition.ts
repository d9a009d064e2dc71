/**
 * The one grammar of a threshold, in k6's syntax: a condition
 * (`p(95)<500`, `rate==0`, `count==0`, `max<1000`) and an override as the
 * command line and a target's config give it (`metric{tags}=condition`).
 * The evaluator (load/), the command line (cli/) and the reporters (the
 * p95 line of a chart) all read a condition through this module, so a
 * condition one of them accepts is one every other understands.
 * Runtime-neutral: the k6 scripts' modules import it too.
 */

const AGGREGATIONS = ["rate", "count", "max", "min", "avg", "value"] as const;
const OPERATORS = ["<=", ">=", "==", "!=", "<", ">"] as const;

export interface Condition {
  /** `p(95)` → { kind: "percentile", p: 95 }. */
  aggregation: { kind: "percentile"; p: number } | { kind: (typeof AGGREGATIONS)[number] };
  operator: (typeof OPERATORS)[number];
  limit: number;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const CONDITION = new RegExp(
  String.raw`^\s*(p\((\d+(?:\.\d+)?)\)|${AGGREGATIONS.join("|")})\s*(${OPERATORS.join("|")})\s*(${NUMBER})\s*$`,
);
/** A metric with its tags, as k6 writes a threshold key: `http_req_duration{scenario:identify}`. */
const TAGGED_METRIC = String.raw`[a-z_][a-z0-9_]*\{[^}]+\}`;
const OVERRIDE = new RegExp(String.raw`^\s*(${TAGGED_METRIC})\s*=\s*(.*?)\s*$`);

/** Examples for error messages, so every message teaches the same syntax. */
export const CONDITION_EXAMPLES = "p(95)<400, rate==0 or count==0";
export const OVERRIDE_EXAMPLE = "http_req_duration{scenario:identify,endpoint:identify}=p(95)<400";

/** Parses a k6 threshold condition; undefined when it is not one this harness can evaluate. */
export function parseCondition(text: string): Condition | undefined {
  const match = CONDITION.exec(text);
  if (!match) return undefined;
  const [, aggregation = "", p, operator, limit] = match;
  return {
    aggregation:
      p !== undefined
        ? { kind: "percentile", p: Number(p) }
        : { kind: aggregation as (typeof AGGREGATIONS)[number] },
    operator: operator as Condition["operator"],
    limit: Number(limit),
  };
}

export function holds(condition: Condition, observed: number): boolean {
  const { operator, limit } = condition;
  switch (operator) {
    case "<":
      return observed < limit;
    case "<=":
      return observed <= limit;
    case ">":
      return observed > limit;
    case ">=":
      return observed >= limit;
    case "==":
      return observed === limit;
    case "!=":
      return observed !== limit;
  }
}

/**
 * `metric{tags}=condition` split into its key and condition text; undefined
 * when it is not that shape. The condition is not judged here: the caller
 * reports a bad one with the key it was meant for.
 */
export function parseOverride(text: string): { key: string; condition: string } | undefined {
  const match = OVERRIDE.exec(text);
  const [, key, condition] = match ?? [];
  return key !== undefined && condition ? { key, condition } : undefined;
}

/** The limit of an upper bound on percentile `p` (`p(95)<500` → 500); undefined for any other condition. */
export function percentileCeiling(text: string, p: number): number | undefined {
  const condition = parseCondition(text);
  if (condition?.aggregation.kind !== "percentile" || condition.aggregation.p !== p)
    return undefined;
  return condition.operator === "<" || condition.operator === "<=" ? condition.limit : undefined;
}
