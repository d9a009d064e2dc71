import { LATENCY_HISTOGRAM } from "../../lib/latencyHistogram.ts";
import type { Shard } from "./shard.ts";

/*
 * Whether the shards of a split run make the whole run: every segment of one
 * plan exactly once, one histogram configuration, every runner complete.
 * Anything short of it is INCOMPLETE (harness merge), never a pass.
 */

/** Why the shards do not make the whole run; empty when they do. */
export function completenessProblems(shards: readonly Shard[]): string[] {
  const problems: string[] = [];
  const first = shards[0];
  if (!first) return ["no shard to merge"];
  const hashes = new Map<string, string[]>();
  for (const s of shards)
    hashes.set(s.manifest.planHash, [...(hashes.get(s.manifest.planHash) ?? []), s.dir]);
  if (hashes.size > 1)
    problems.push(
      `the shards are of ${hashes.size} different plans (${[...hashes.values()].map((dirs) => dirs.join(", ")).join(" | ")}): every runner must run the same target, scenarios, options and sequence${planDifference(shards)}`,
    );
  for (const s of shards)
    if (s.manifest.plan.histogram !== LATENCY_HISTOGRAM.version)
      problems.push(
        `${s.dir}: latency histograms of configuration version ${s.manifest.plan.histogram}, not ${LATENCY_HISTOGRAM.version}: they do not add exactly`,
      );
  const starts = new Set(shards.map((s) => s.manifest.agreedStart ?? "none"));
  if (starts.size > 1)
    problems.push(
      `the shards agreed on ${starts.size} different starts (${[...starts].join(", ")}): they are not one run`,
    );
  // One run: the runners' times overlap (the same plan run on two days is two runs, not one).
  const latestStart = shards.reduce((a, s) =>
    Date.parse(s.manifest.startedAt) > Date.parse(a.manifest.startedAt) ? s : a,
  );
  const earliestEnd = shards.reduce((a, s) =>
    Date.parse(s.manifest.finishedAt) < Date.parse(a.manifest.finishedAt) ? s : a,
  );
  if (Date.parse(latestStart.manifest.startedAt) > Date.parse(earliestEnd.manifest.finishedAt))
    problems.push(
      `the runners did not run together: ${latestStart.dir} started ${latestStart.manifest.startedAt}, after ${earliestEnd.dir} had finished (${earliestEnd.manifest.finishedAt}); merge the shards of one run`,
    );
  const { sequence } = first.manifest.plan;
  const cuts = sequence.split(",");
  const count = cuts.length - 1;
  const bySegment = new Map<number, Shard[]>();
  for (const s of shards) {
    if (s.manifest.plan.sequence !== sequence) continue;
    bySegment.set(s.manifest.segment.index, [
      ...(bySegment.get(s.manifest.segment.index) ?? []),
      s,
    ]);
  }
  for (let i = 0; i < count; i++) {
    const name = `segment ${i + 1}/${count} (${cuts[i]}:${cuts[i + 1]})`;
    const holders = bySegment.get(i) ?? [];
    if (holders.length === 0)
      problems.push(`${name} has no shard: its runner is missing, or did not finish`);
    if (holders.length > 1)
      problems.push(
        `${name} is in ${holders.length} shards (${holders.map((h) => h.dir).join(", ")}): a runner ran twice, or two were given the same segment`,
      );
  }
  for (const s of shards) {
    const name = `${s.dir} (segment ${s.manifest.segment.text}, run ${s.manifest.runId})`;
    if (s.manifest.exitStatus !== "complete")
      problems.push(`${name} was ${s.manifest.exitStatus}: its shard is partial`);
    for (const scenario of s.manifest.plan.scenarios) {
      const measured = s.scenarios.find((m) => m.name === scenario.name);
      if (!measured) {
        problems.push(`${name} has no figures for scenario ${scenario.name}`);
        continue;
      }
      for (const endpoint of scenario.endpoints) {
        const e = measured.endpoints.find((x) => x.endpoint === endpoint);
        if (!e?.latency)
          problems.push(
            `${name}: scenario ${scenario.name} endpoint ${endpoint} has no latency histogram (a k6 summary has none: run k6 runners with --out json)`,
          );
      }
    }
  }
  return problems;
}

/** Which part of the plans differs, named (the hash alone says only that they do). */
function planDifference(shards: readonly Shard[]): string {
  const first = shards[0]?.manifest.plan;
  if (!first) return "";
  const parts = new Set<string>();
  for (const s of shards) {
    const plan = s.manifest.plan;
    for (const key of Object.keys(first) as (keyof typeof first)[])
      if (JSON.stringify(plan[key]) !== JSON.stringify(first[key])) parts.add(key);
  }
  return parts.size > 0 ? `; they differ in: ${[...parts].join(", ")}` : "";
}

/** Found while adding: the shards are not one whole after all (INCOMPLETE, like a missing one). */
export class IncompleteShards extends Error {}
