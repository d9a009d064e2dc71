import { profileNames } from "../config/schemas/profileSchema.ts";
import { schemaProblems } from "../config/schemas/schemaProblems.ts";
import { sweepSectionSchema } from "../config/schemas/sweepSchema.ts";
import type { SweepSection, TargetProfile } from "../config/targetProfile.ts";
import { checkDependencies } from "../drivers/preflight.ts";
import { assertReachable } from "../drivers/reachability.ts";
import { isRunId, testUserDisplayName } from "../drivers/runId.ts";
import { JOB_STATES, TargetConnections } from "../drivers/targetConnections.ts";
import { ConfigError, describeError } from "../errors.ts";
import { redactSecrets } from "../redact.ts";
import { removeJob, runStatements } from "./cleanupRun.ts";
import { HEARTBEAT_DEFAULTS, liveHeartbeats, runHeartbeatKey } from "./heartbeat.ts";

/** How many jobs of each state the queue scan reads, newest first (bounded, like every read). */
const QUEUE_SCAN_LIMIT = 10_000;

export interface SweptRun {
  runId: string;
  rows: number;
  jobs: number;
  errors: string[];
}

export interface SweepReport {
  target: string;
  cutoff: string;
  runs: SweptRun[];
  /** Runs older than the cut-off whose heartbeat is alive: still running, left alone. */
  live: string[];
}

/** Every problem of the profile's sweep section (validated here, by the command that uses it). */
export function sweepSectionProblems(profile: TargetProfile): string[] {
  const p: string[] = [];
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  const sweep = profile.sweep;
  if (sweep === undefined) {
    return [
      `${at("sweep")} is missing: this target says nothing about how to find leftovers of crashed runs ({ findRuns, findJobIds, removeRun }).`,
    ];
  }
  p.push(
    ...schemaProblems(
      sweepSectionSchema(profileNames(profile)),
      sweep,
      `targets.${profile.name}`,
      "sweep",
    ),
  );
  if (Array.isArray(sweep.findJobIds) && sweep.findJobIds.length > 0 && !profile.queue)
    p.push(`${at("queue")} is missing; sweep.findJobIds finds webhook jobs to remove from it.`);
  return p;
}

export type SweepTarget = TargetProfile & { sweep: SweepSection };

/** The profile as a SweepTarget, or a ConfigError (exit 2) listing every problem. */
export function requireSweepTarget(profile: TargetProfile): SweepTarget {
  const problems = sweepSectionProblems(profile);
  if (problems.length > 0)
    throw new ConfigError(problems, `Target "${profile.name}" cannot be swept`);
  return profile as SweepTarget;
}

/**
 * Finds runs of any suite older than the cutoff that left data behind (a
 * crash, a kill -9) and removes each one by its run id, as its own cleanup
 * would have: its webhook jobs first, then its rows.
 */
export async function sweepRuns(
  profile: SweepTarget,
  options: { olderThanMs: number; now?: Date },
): Promise<SweepReport> {
  const { sweep, queue } = profile;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanMs);
  const connections = new TargetConnections(profile);
  try {
    assertReachable(await checkDependencies(profile, connections));
    const runIds = new Set<string>();
    for (const statement of sweep.findRuns) {
      const { rows } = await connections.query(statement, { cutoff });
      for (const row of rows) {
        const id = String(row.run_id ?? "");
        // Only ids the harness minted: a sweep never deletes by a pattern it does not own.
        if (isRunId(id)) runIds.add(id);
      }
    }
    // Jobs found by the run id in their data: a run whose rows are gone may still have its job.
    const queuedJobs =
      queue && sweep.jobRunId ? await jobsByRunId(connections, sweep, cutoff) : new Map();
    for (const runId of queuedJobs.keys()) runIds.add(runId);
    // A run that still holds its heartbeat is running: never swept, whatever --older-than says.
    const candidates = [...runIds].sort();
    const live = queue
      ? await connections.redisOp("MGET heartbeats", () =>
          liveHeartbeats(connections.redis, candidates.map(runHeartbeatKey)),
        )
      : new Set<string>();
    const runs: SweptRun[] = [];
    const liveRuns: string[] = [];
    for (const runId of candidates) {
      if (live.has(runHeartbeatKey(runId))) {
        liveRuns.push(runId);
        continue;
      }
      const run: SweptRun = { runId, rows: 0, jobs: 0, errors: [] };
      try {
        // A run's webhook jobs go first, so no delivery writes a row after its rows are gone.
        if (queue) {
          const jobIds = new Set([
            ...(await findJobIds(connections, sweep, runId)),
            ...(queuedJobs.get(runId) ?? []),
          ]);
          for (const jobId of jobIds) {
            const removal = await removeJob(connections, queue, jobId);
            if (removal === "removed") run.jobs++;
            if (removal === "locked") run.errors.push(`job ${jobId} stayed locked`);
          }
        }
      } catch (error) {
        run.errors.push(`finding jobs: ${describeError(error)}`);
      }
      const removed = await runStatements(connections, sweep.removeRun, {
        runId,
        displayName: testUserDisplayName(runId),
      });
      run.rows = removed.rows;
      run.errors.push(...removed.errors.map((e) => redactSecrets(e, profile.secrets)));
      runs.push(run);
    }
    return { target: profile.name, cutoff: cutoff.toISOString(), runs, live: liveRuns };
  } finally {
    await connections.close();
  }
}

async function findJobIds(
  connections: TargetConnections,
  sweep: SweepSection,
  runId: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const statement of sweep.findJobIds) {
    const { rows } = await connections.query(statement, { runId });
    for (const row of rows)
      if (row.job_id !== null && row.job_id !== undefined) ids.push(String(row.job_id));
  }
  return ids;
}

/** Webhook jobs created before the cut-off whose data names a harness run id, by run id. */
async function jobsByRunId(
  connections: TargetConnections,
  sweep: SweepSection,
  cutoff: Date,
): Promise<Map<string, string[]>> {
  const byRun = new Map<string, string[]>();
  const queue = connections.queue(connections.queueName());
  const jobs = await connections.redisOp("getJobs", () =>
    queue.getJobs(JOB_STATES, 0, QUEUE_SCAN_LIMIT - 1, false),
  );
  for (const job of jobs) {
    if (!job?.id || job.timestamp >= cutoff.getTime()) continue;
    const runId = sweep.jobRunId?.(job.data);
    if (!runId || !isRunId(runId)) continue;
    byRun.set(runId, [...(byRun.get(runId) ?? []), job.id]);
  }
  return byRun;
}

/** The sweep's console text. */
export function sweepSummary(report: SweepReport): string {
  const lines = [`sweep · target ${report.target} · runs created before ${report.cutoff}`];
  for (const run of report.runs) {
    lines.push(
      `  ${run.errors.length ? "FAIL" : "done"}  ${run.runId}: ${run.rows} rows, ${run.jobs} jobs removed`,
    );
    for (const error of run.errors) lines.push(`        ${error}`);
  }
  for (const runId of report.live)
    lines.push(
      `  live  ${runId}: its heartbeat is alive (still running, or ended within ${HEARTBEAT_DEFAULTS.ttlMs / 1000} s without removing it); left alone`,
    );
  const failed = report.runs.filter((r) => r.errors.length > 0).length;
  lines.push(
    report.runs.length === 0
      ? "nothing to sweep"
      : `${report.runs.length - failed} of ${report.runs.length} leftover runs removed`,
  );
  return `${lines.join("\n")}\n`;
}
