import type { RunResult } from "../result/runResult.ts";

/*
 * What a GO needs of every run it reads, beyond a passing verdict: positive
 * evidence. Anything missing, unknown or inconsistent is a NO-GO reason
 * naming it; nothing here can make a GO out of a run that lacks evidence.
 */

const LATENCIES = ["p50Ms", "p90Ms", "p95Ms", "p99Ms", "maxMs", "meanMs"] as const;

function hours(ms: number): string {
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The reasons one run gives no evidence for a GO (the failed checks and thresholds are named elsewhere). */
export function runEvidenceReasons(
  run: RunResult,
  options: { now: Date; maxAgeMs?: number },
): string[] {
  const reasons: string[] = [];
  const name = `${{ smoke: "Smoke", load: "Load", probe: "Probe" }[run.suite]} run ${run.runId}`;
  // Interrupted and could-not-judge runs have reasons of their own (signoff.ts), and so do
  // failed checks and thresholds: this names an outcome nothing else in the run explains.
  const explained = [...run.checks, ...run.thresholds].some((v) => v.status !== "passed");
  if (
    !["pass", "interrupted", "targetUnreachable", "incomplete"].includes(run.outcome) &&
    !explained
  )
    reasons.push(`${name} ended "${run.outcome}", not "pass", though every verdict in it passed.`);
  if ((run.suite === "smoke" || run.suite === "probe") && run.checks.length === 0)
    reasons.push(`${name} has no checks: nothing was judged.`);
  if (run.suite === "load" && run.thresholds.length === 0)
    reasons.push(`${name} has no thresholds: nothing was judged.`);
  for (const c of run.checks) {
    if (c.status === "passed" && c.observed.trim() === "")
      reasons.push(`${name}: check ${c.name} passed with nothing observed.`);
  }
  for (const t of run.thresholds) {
    if (t.status === "passed" && (t.observed === null || !Number.isFinite(t.observed)))
      reasons.push(`${name}: threshold ${t.name} passed with no observed value.`);
  }
  for (const scenario of run.scenarios) {
    if (scenario.endpoints.length === 0)
      reasons.push(`${name}: scenario ${scenario.name} measured no endpoint.`);
    for (const e of scenario.endpoints) {
      const where = `${name}: ${scenario.name} ${e.endpoint}`;
      if (e.requests + e.errors <= 0) reasons.push(`${where} sent no request.`);
      else if (e.requests <= 0) reasons.push(`${where} got no answer (${e.errors} errors).`);
      const bad = LATENCIES.filter((k) => !Number.isFinite(e[k]) || e[k] < 0);
      if (bad.length > 0)
        reasons.push(
          `${where} has impossible latencies (${bad.map((k) => `${k} ${e[k]}`).join(", ")}).`,
        );
    }
    if ((scenario.interrupted ?? 0) > 0)
      reasons.push(
        `${name}: scenario ${scenario.name} cut ${scenario.interrupted} requests still open at its end: its figures are incomplete.`,
      );
  }
  if (options.maxAgeMs !== undefined) {
    const finished = Date.parse(run.finishedAt);
    const age = options.now.getTime() - finished;
    if (!Number.isFinite(finished))
      reasons.push(`${name} has no valid finish time (${JSON.stringify(run.finishedAt)}).`);
    else if (age > options.maxAgeMs)
      reasons.push(
        `${name} finished ${hours(age)} before this sign-off, more than --max-age (${hours(options.maxAgeMs)}): run it again.`,
      );
    else if (age < -60_000)
      reasons.push(`${name} finished ${hours(-age)} after this sign-off: its clock is wrong.`);
  }
  return reasons;
}

/** The runs' target versions must be one set: a sign-off is of one build of each service. */
export function versionsReason(runs: readonly RunResult[]): string | undefined {
  const sets = new Map<string, string[]>();
  for (const run of runs) {
    const key = JSON.stringify(
      Object.entries(run.target.versions).sort(([a], [b]) => a.localeCompare(b)),
    );
    sets.set(key, [...(sets.get(key) ?? []), run.runId]);
  }
  if (sets.size <= 1) return undefined;
  const described = [...sets.entries()].map(([key, ids]) => {
    const versions = (JSON.parse(key) as [string, string][])
      .map(([service, version]) => `${service} ${version}`)
      .join(", ");
    return `${versions || "no versions"} (${ids.join(", ")})`;
  });
  return `The runs measured different builds of the target: ${described.join(" vs ")}. Sign off runs of one deploy.`;
}
