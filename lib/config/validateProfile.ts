import type { TargetProfile } from "./targetProfile.ts";

function checkUrl(problems: string[], key: string, value: unknown, protocols: string[]): void {
  if (typeof value !== "string" || value === "") {
    problems.push(`${key} is missing; expected a ${protocols.join(" or ")} URL.`);
    return;
  }
  try {
    const url = new URL(value);
    if (!protocols.includes(url.protocol)) {
      problems.push(`${key} uses ${url.protocol}; allowed: ${protocols.join(", ")}.`);
    }
  } catch {
    problems.push(`${key}="${value}" is not a URL; expected a ${protocols.join(" or ")} URL.`);
  }
}

function checkFunction(problems: string[], key: string, value: unknown): void {
  if (typeof value !== "function") problems.push(`${key} must be a function.`);
}

function checkStatements(problems: string[], key: string, value: unknown): void {
  if (!Array.isArray(value)) {
    problems.push(`${key} must be a list of { database, text, values }.`);
    return;
  }
  for (const [i, statement] of value.entries()) checkStatement(problems, `${key}[${i}]`, statement);
}

function checkStatement(problems: string[], key: string, value: unknown): void {
  const s = (value ?? {}) as Partial<Record<string, unknown>>;
  if (s.database !== "pasukuru" && s.database !== "curva") {
    problems.push(
      `${key}.database is ${JSON.stringify(s.database)}; allowed: "pasukuru", "curva".`,
    );
  }
  if (typeof s.text !== "string" || s.text.trim() === "") problems.push(`${key}.text must be SQL.`);
  checkFunction(problems, `${key}.values`, s.values);
}

function checkHelper(problems: string[], key: string, value: unknown): void {
  const h = (value ?? {}) as Partial<Record<string, unknown>>;
  if (h.service !== "pasukuru" && h.service !== "curva") {
    problems.push(`${key}.service is ${JSON.stringify(h.service)}; allowed: "pasukuru", "curva".`);
  }
  checkFunction(problems, `${key}.path`, h.path);
  checkFunction(problems, `${key}.read`, h.read);
}

/**
 * Checks a profile a target's setup returned, so a hand-edited config fails
 * with exit 2 naming the key, not with a TypeError mid-run.
 */
export function profileProblems(profile: TargetProfile): string[] {
  const p: string[] = [];
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  for (const service of ["pasukuru", "curva"] as const) {
    checkUrl(p, at(`services.${service}.url`), profile.services?.[service]?.url, [
      "http:",
      "https:",
    ]);
  }
  for (const db of ["pasukuru", "curva"] as const) {
    checkUrl(p, at(`databases.${db}.url`), profile.databases?.[db]?.url, [
      "postgres:",
      "postgresql:",
    ]);
  }
  checkUrl(p, at("queue.redisUrl"), profile.queue?.redisUrl, ["redis:", "rediss:"]);
  if (!profile.queue?.name)
    p.push(`${at("queue.name")} is missing; the webhook queue's name, e.g. curva-webhook.`);
  checkFunction(p, at("queue.jobId"), profile.queue?.jobId);
  const dl = profile.queue?.deadLetters;
  if (
    dl?.kind !== "failedSet" &&
    !(dl?.kind === "queue" && typeof dl.name === "string" && dl.name)
  ) {
    p.push(`${at("queue.deadLetters")} must be { kind: "failedSet" } or { kind: "queue", name }.`);
  }
  const identity = profile.identity;
  if (identity?.kind === "mint") {
    checkFunction(p, at("identity.mintIdToken"), identity.mintIdToken);
    checkHelper(p, at("identity.identify"), identity.identify);
  } else if (identity?.kind === "preProvisioned") {
    if (!/^U[0-9a-f]{32}$/.test(identity.lineUserId ?? "")) {
      p.push(
        `${at("identity.lineUserId")}="${identity.lineUserId}" is not a LINE user id (U + 32 hex).`,
      );
    }
    if (!identity.memberId)
      p.push(`${at("identity.memberId")} is missing; the pre-provisioned member's id.`);
  } else {
    p.push(`${at("identity.kind")} must be "mint" or "preProvisioned".`);
  }
  checkHelper(p, at("helpers.createOrder"), profile.helpers?.createOrder);
  checkHelper(p, at("helpers.markPaid"), profile.helpers?.markPaid);
  for (const key of ["webhookLogCount", "memberLineUserId", "followerMemberId"] as const) {
    checkStatement(p, at(`assertions.${key}`), profile.assertions?.[key]);
  }
  checkStatements(p, at("cleanup"), profile.cleanup);
  checkStatements(p, at("sweep.findRuns"), profile.sweep?.findRuns);
  checkStatements(p, at("sweep.findJobIds"), profile.sweep?.findJobIds);
  checkStatements(p, at("sweep.removeRun"), profile.sweep?.removeRun);
  return p;
}
