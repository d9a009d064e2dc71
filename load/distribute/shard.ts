import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { LATENCY_HISTOGRAM } from "../../lib/latencyHistogram.ts";
import type { CleanupReport, RunResult } from "../../lib/result/runResult.ts";
import type { ScenarioResult } from "../../lib/result/scenarioResult.ts";
import { type ExecutionSegment, k6SegmentArgs, segmentText } from "../executionSegment.ts";
import type { ScenarioDefinition } from "../scenarios/scenarios.ts";

/*
 * A runner's shard: what one runner of a split run measured, and nothing it
 * judged. `harness merge` adds shards exactly and judges the whole. A shard
 * folder holds `manifest.json` (the plan, its hash, the segment, the engine,
 * times, the runner's exit status and its skew from the agreed start) and
 * `scenarios.json` (per scenario: each endpoint's exact counters and HDR
 * histogram of the fixed configuration, dropped and interrupted starts,
 * the per-second rows, pools). No request bodies, headers, tokens or
 * secrets: a shard travels (CI artifacts, a results volume).
 */

const SHARD_FORMAT = "harness-shard/1";
export const SHARD_FILES = { manifest: "manifest.json", scenarios: "scenarios.json" } as const;
/** Verification mode's raw latencies (µs, by "scenario endpoint"), beside a shard; merge never reads it. */
export const VERIFY_SAMPLES_FILE = "samples.verify.json";

/** What every runner of a split run must agree on: hashed, and the hash compared by merge. */
export interface ShardPlan {
  target: { name: string; production: boolean };
  /** Each service's base URL (no credentials: a URL's userinfo is dropped). */
  services: Record<string, string>;
  engine: "node" | "k6";
  /** The scenarios as resolved (flags over config over definitions), thresholds included. */
  scenarios: ScenarioDefinition[];
  /** The segment sequence, k6's text ("0,1/3,2/3,1"). */
  sequence: string;
  /** The latency histogram configuration version: histograms of two versions never add. */
  histogram: number;
}

export interface ShardManifest {
  format: typeof SHARD_FORMAT;
  planHash: string;
  plan: ShardPlan;
  /** 0-based index in the sequence, the count, and the text forms. */
  segment: {
    index: number;
    count: number;
    text: string;
    k6: { segment: string; sequence: string };
  };
  runId: string;
  engine: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  /** The agreed start (--start-at), when there was one. */
  agreedStart?: string;
  /**
   * complete: every scenario ran to its end; interrupted: stopped early
   * (Ctrl-C, SIGTERM, a killed pod). Only complete shards merge.
   */
  exitStatus: "complete" | "interrupted";
  scenarios: {
    name: string;
    startedAt: string;
    /** How far this runner started from the agreed start (ms; positive: late); absent without one. */
    skewMs?: number;
    dropped: number;
    interrupted: number;
  }[];
  cleanup: CleanupReport;
  targetVersions: Record<string, string>;
}

/** The plan's hash: the same plan on every runner, or the shards do not merge. */
export function planHash(plan: ShardPlan): string {
  return createHash("sha256").update(JSON.stringify(plan)).digest("hex");
}

/** The plan of a run: its target, services, engine, resolved scenarios and sequence. */
export function shardPlan(
  target: {
    name: string;
    production: boolean;
    services: Record<string, { url: string } | undefined>;
  },
  engine: ShardPlan["engine"],
  scenarios: readonly ScenarioDefinition[],
  segment: ExecutionSegment,
): ShardPlan {
  const services: Record<string, string> = {};
  for (const [name, service] of Object.entries(target.services)) {
    if (!service) continue;
    const url = new URL(service.url);
    url.username = "";
    url.password = "";
    services[name] = url.toString();
  }
  return {
    target: { name: target.name, production: target.production },
    services,
    engine,
    scenarios: scenarios.map((s) => structuredClone(s)),
    sequence: k6SegmentArgs(segment).sequence,
    histogram: LATENCY_HISTOGRAM.version,
  };
}

/**
 * Writes a runner's shard from its run: measurements only (the runner's
 * thresholds are not kept: the whole is judged by merge). Each file is
 * written beside and renamed, so a reader never sees half a file.
 */
export async function writeShard(
  dir: string,
  parts: {
    plan: ShardPlan;
    segment: ExecutionSegment;
    result: RunResult;
    agreedStartMs?: number;
    scenarioStarts: ReadonlyMap<string, number>;
  },
): Promise<ShardManifest> {
  const { result, segment } = parts;
  const manifest: ShardManifest = {
    format: SHARD_FORMAT,
    planHash: planHash(parts.plan),
    plan: parts.plan,
    segment: {
      index: segment.index,
      count: segment.sequence.length - 1,
      text: segmentText(segment),
      k6: k6SegmentArgs(segment),
    },
    runId: result.runId,
    engine: result.scenarios[0]?.engine ?? { name: parts.plan.engine, version: "" },
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    ...(parts.agreedStartMs !== undefined
      ? { agreedStart: new Date(parts.agreedStartMs).toISOString() }
      : {}),
    exitStatus:
      result.outcome === "interrupted" || result.scenarios.length < parts.plan.scenarios.length
        ? "interrupted"
        : "complete",
    scenarios: result.scenarios.map((s) => {
      const started = parts.scenarioStarts.get(s.name) ?? Date.parse(result.startedAt);
      return {
        name: s.name,
        startedAt: new Date(started).toISOString(),
        ...(parts.agreedStartMs !== undefined
          ? { skewMs: Math.round(started - parts.agreedStartMs) }
          : {}),
        dropped: s.dropped,
        interrupted: s.interrupted ?? 0,
      };
    }),
    cleanup: result.cleanup,
    targetVersions: result.target.versions,
  };
  await mkdir(dir, { recursive: true });
  const write = async (name: string, data: unknown) => {
    const path = join(dir, name);
    await writeFile(`${path}.partial`, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o644 });
    await rename(`${path}.partial`, path);
  };
  // The measurements first: a manifest is the mark of a finished shard.
  await write(SHARD_FILES.scenarios, result.scenarios);
  await write(SHARD_FILES.manifest, manifest);
  return manifest;
}

/**
 * Before a runner starts: its shard folder is writable and holds no shard
 * yet (a runner that died would otherwise leave the last run's shard there,
 * for merge to take as this run's).
 */
export async function assertEmptyShardDir(dir: string): Promise<void> {
  const fail = (why: string) =>
    new ConfigError([`--shard-dir ${dir}: ${why}.`], "The shard cannot be written");
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, ".harness-write-check"), "");
    await rm(join(dir, ".harness-write-check"), { force: true });
  } catch (error) {
    throw fail(
      `cannot be written (${(error as Error).message}); give a folder this user may write to`,
    );
  }
  if (await stat(join(dir, SHARD_FILES.manifest)).catch(() => undefined))
    throw fail(
      `already holds a shard (${SHARD_FILES.manifest}); give each runner of each run an empty folder, or remove the old shard`,
    );
}

/** What a runner prints: where its shard is, and that it judged nothing. */
export function shardSummary(manifest: ShardManifest, dir: string): string {
  const dropped = manifest.scenarios.reduce((sum, s) => sum + s.dropped, 0);
  const skew = manifest.scenarios[0]?.skewMs;
  return [
    `SHARD  segment ${manifest.segment.text} of run plan ${manifest.planHash.slice(0, 12)}: ${manifest.exitStatus}, written to ${dir}`,
    `  ${manifest.scenarios.map((s) => s.name).join(", ")}; ${dropped} dropped starts${skew !== undefined ? `; started ${skew} ms from the agreed start` : ""}`,
    "  Not judged: a runner's share is a slice. Run harness merge with every runner's shard folder for the verdict.",
    "",
  ].join("\n");
}

/** What a manifest must hold for merge to read it (one edited or cut by hand may not). */
function manifestShapeProblem(m: ShardManifest): string | undefined {
  const plan = m.plan as Partial<ShardPlan> | undefined;
  if (
    !plan ||
    typeof plan !== "object" ||
    !Array.isArray(plan.scenarios) ||
    typeof plan.sequence !== "string"
  )
    return "no plan (scenarios and sequence)";
  if (!m.segment || !Number.isInteger(m.segment.index) || m.segment.index < 0)
    return "no segment index";
  if (m.exitStatus !== "complete" && m.exitStatus !== "interrupted") return "no exit status";
  if (Number.isNaN(Date.parse(m.startedAt)) || Number.isNaN(Date.parse(m.finishedAt)))
    return "no start and end times";
  if (!Array.isArray(m.scenarios)) return "no scenarios";
  return undefined;
}

export interface Shard {
  dir: string;
  manifest: ShardManifest;
  scenarios: ScenarioResult[];
  /**
   * A k6-operator runner pod's raw samples, read with its file (every
   * scenario in one), by scenario and endpoint; a harness k6 runner's stay
   * in `dir` (k6RawFile) until merge reads them.
   */
  samples?: Record<string, Record<string, number[]>>;
}

/** Reads a shard folder; a problem names the folder and what is wrong, for merge's INCOMPLETE. */
export async function readShard(dir: string): Promise<Shard | { dir: string; problem: string }> {
  const read = async (name: string): Promise<unknown> =>
    JSON.parse(await readFile(join(dir, name), "utf8"));
  let manifest: ShardManifest;
  try {
    manifest = (await read(SHARD_FILES.manifest)) as ShardManifest;
  } catch (error) {
    const missing = (error as { code?: string }).code === "ENOENT";
    return {
      dir,
      problem: missing
        ? `${dir} has no ${SHARD_FILES.manifest}: not a shard, or its runner never finished`
        : `${dir}/${SHARD_FILES.manifest} cannot be read (${error instanceof SyntaxError ? "not JSON; its content is not shown" : (error as Error).message})`,
    };
  }
  if (manifest?.format !== SHARD_FORMAT)
    return {
      dir,
      problem: `${dir}/${SHARD_FILES.manifest} is format ${JSON.stringify(manifest?.format)}, not ${SHARD_FORMAT}`,
    };
  const shapeProblem = manifestShapeProblem(manifest);
  if (shapeProblem) return { dir, problem: `${dir}/${SHARD_FILES.manifest}: ${shapeProblem}` };
  if (planHash(manifest.plan) !== manifest.planHash)
    return { dir, problem: `${dir}: its plan does not hash to its planHash (edited?)` };
  try {
    const scenarios = (await read(SHARD_FILES.scenarios)) as ScenarioResult[];
    if (!Array.isArray(scenarios)) throw new Error("not a list of scenarios");
    return { dir, manifest, scenarios };
  } catch (error) {
    return {
      dir,
      problem: `${dir}/${SHARD_FILES.scenarios} cannot be read (${(error as Error).message})`,
    };
  }
}
