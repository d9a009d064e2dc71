/**
 * Checks shared by the core profile's validator and each section's. Each one
 * appends a sentence naming the key and what is allowed to `problems`.
 */

/** Why `value` is not a URL with one of `protocols`, or undefined when it is one. */
export function urlProblem(value: string, protocols: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return `is not a URL; expected a ${protocols.join(" or ")} URL`;
  }
  return protocols.includes(parsed.protocol)
    ? undefined
    : `uses ${parsed.protocol}; allowed: ${protocols.join(", ")}`;
}

export function checkUrl(
  problems: string[],
  key: string,
  value: unknown,
  protocols: readonly string[],
): void {
  if (typeof value !== "string" || value === "") {
    problems.push(`${key} is missing; expected a ${protocols.join(" or ")} URL.`);
    return;
  }
  const problem = urlProblem(value, protocols);
  if (problem)
    problems.push(`${key}${problem.startsWith("is not") ? `="${value}"` : ""} ${problem}.`);
}

export function checkFunction(problems: string[], key: string, value: unknown): void {
  if (typeof value !== "function") problems.push(`${key} must be a function.`);
}

/** The joint suites' two databases: what a statement may name unless the caller says otherwise. */
const JOINT_DATABASES = ["pasukuru", "curva"] as const;

export function checkStatement(
  problems: string[],
  key: string,
  value: unknown,
  databases: readonly string[] = JOINT_DATABASES,
): void {
  const s = (value ?? {}) as Partial<Record<string, unknown>>;
  if (typeof s.database !== "string" || !databases.includes(s.database)) {
    problems.push(
      `${key}.database is ${JSON.stringify(s.database)}; allowed: ${databases.map((d) => JSON.stringify(d)).join(", ") || "none (the profile names no databases)"}.`,
    );
  }
  if (typeof s.text !== "string" || s.text.trim() === "") problems.push(`${key}.text must be SQL.`);
  checkFunction(problems, `${key}.values`, s.values);
}

export function checkStatements(
  problems: string[],
  key: string,
  value: unknown,
  databases: readonly string[] = JOINT_DATABASES,
): void {
  if (!Array.isArray(value)) {
    problems.push(`${key} must be a list of { database, text, values }.`);
    return;
  }
  for (const [i, statement] of value.entries())
    checkStatement(problems, `${key}[${i}]`, statement, databases);
}

/**
 * What a joint suite (smoke, load, watch) needs of the core: both services
 * and both databases. A probe-only target (one app) may have neither.
 */
export function jointCoreProblems(
  profile: { name: string; services?: object; databases?: object },
  suite: string,
): string[] {
  const p: string[] = [];
  for (const name of JOINT_DATABASES) {
    if (!Object.hasOwn(profile.services ?? {}, name))
      p.push(
        `targets.${profile.name}: services.${name} is missing: the ${suite} drives the Curva × Pasukuru integration and needs both services (pasukuru, curva).`,
      );
  }
  for (const name of JOINT_DATABASES) {
    if (!Object.hasOwn(profile.databases ?? {}, name))
      p.push(
        `targets.${profile.name}: databases.${name} is missing: the ${suite} reads both services' databases (pasukuru, curva).`,
      );
  }
  return p;
}

export function checkHelper(problems: string[], key: string, value: unknown): void {
  const h = (value ?? {}) as Partial<Record<string, unknown>>;
  if (h.service !== "pasukuru" && h.service !== "curva") {
    problems.push(`${key}.service is ${JSON.stringify(h.service)}; allowed: "pasukuru", "curva".`);
  }
  checkFunction(problems, `${key}.path`, h.path);
  checkFunction(problems, `${key}.read`, h.read);
}

/**
 * A whole number in [min, max] (absent allowed when `optional`): a count, a
 * window, a bound. Zero, negative, fractional or a string would make a probe
 * or scenario send nothing, or too much, and blame the target: exit 2 instead.
 */
export function checkWhole(
  problems: string[],
  key: string,
  value: unknown,
  range: { min: number; max: number; optional?: boolean; what: string },
): void {
  if (value === undefined && range.optional) return;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < range.min ||
    value > range.max
  )
    problems.push(
      `${key} is ${value === undefined ? "missing" : JSON.stringify(value)}: it must be ${range.what}, a whole number from ${range.min} to ${range.max}.`,
    );
}
