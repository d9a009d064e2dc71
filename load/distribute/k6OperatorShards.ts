import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { k6SegmentArgs, parseSegment, segmentText } from "../executionSegment.ts";
import { readK6Raw } from "../k6format/k6Raw.ts";
import { planHash, type Shard, type ShardPlan } from "./shard.ts";

/*
 * A k6-operator run's results as shards: each runner pod wrote its raw
 * results (`<pod>.json.gz`) and, when it finished, its end-of-test summary
 * (`<pod>.summary.json`) to the results claim (`harness k6-operator`'s
 * manifests). The operator tagged every sample with the runner's
 * instance_id (1…N: its segment of N) and the harness with the plan's hash.
 * A runner is complete when its summary is there and counts the requests its
 * raw file holds; otherwise its shard is partial (a pod killed mid-run
 * writes no summary, a cut file counts fewer).
 */

type Read = Shard | { dir: string; problem: string };

/** The raw files under the given paths (a file, or a folder's *.json.gz). */
async function rawFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory())
      files.push(
        ...(await readdir(path))
          .filter((f) => f.endsWith(".json.gz"))
          .sort()
          .map((f) => join(path, f)),
      );
    else files.push(path);
  }
  return files;
}

export async function readK6OperatorShards(
  planFile: string,
  paths: readonly string[],
): Promise<Read[]> {
  // The plan is the caller's input, not a runner's output: a wrong one is exit 2, not INCOMPLETE.
  let text: string;
  try {
    text = await readFile(planFile, "utf8");
  } catch (error) {
    throw new ConfigError([
      `--k6-plan ${planFile} cannot be read (${(error as { code?: string }).code ?? "unreadable"}): pass the plan.json that \`harness k6-operator\` wrote beside the manifests.`,
    ]);
  }
  let plan: ShardPlan;
  try {
    plan = JSON.parse(text) as ShardPlan;
  } catch {
    throw new ConfigError([
      `--k6-plan ${planFile} is not JSON (${Buffer.byteLength(text)} bytes; its content is not shown): pass the plan.json that \`harness k6-operator\` wrote.`,
    ]);
  }
  if (
    typeof plan !== "object" ||
    plan === null ||
    typeof plan.sequence !== "string" ||
    !Array.isArray(plan.scenarios)
  )
    throw new ConfigError([
      `--k6-plan ${planFile} is not a split run's plan (no sequence and scenarios): pass the plan.json that \`harness k6-operator\` wrote.`,
    ]);
  const hash = planHash(plan);
  const count = plan.sequence.split(",").length - 1;
  const files = await rawFiles(paths);
  if (files.length === 0)
    return [
      { dir: paths.join(", "), problem: `no k6 raw results (*.json.gz) in ${paths.join(", ")}` },
    ];
  const out: Read[] = [];
  const runs = new Set<string>();
  for (const file of files) {
    const base = file.replace(/\.json\.gz$/, "");
    let raw: Awaited<ReturnType<typeof readK6Raw>>;
    try {
      // Once, samples and all: merge reads them from the shard instead of the file again.
      raw = await readK6Raw(file, plan.scenarios, "k6 (k6-operator)", { keepSamples: true });
    } catch (error) {
      out.push({
        dir: file,
        problem: `${file} cannot be read as k6 raw results (${(error as Error).message})`,
      });
      continue;
    }
    const instances = raw.tags.instance_id ?? [];
    const hashes = raw.tags.harness_plan ?? [];
    for (const name of raw.tags.testrun_name ?? []) runs.add(name);
    if (instances.length !== 1) {
      out.push({
        dir: file,
        problem: `${file}: samples of ${instances.length} runner instances (instance_id ${instances.join(", ") || "none"}), not one: not a k6-operator runner's file`,
      });
      continue;
    }
    const instance = Number(instances[0]);
    const parsed = parseSegment(`${instance}/${count}`);
    if ("problem" in parsed) {
      out.push({
        dir: file,
        problem: `${file}: runner instance ${instance} is not one of the plan's ${count}`,
      });
      continue;
    }
    if (hashes.length !== 1 || hashes[0] !== hash) {
      out.push({
        dir: file,
        problem: `${file}: its samples are of plan ${hashes.join(", ") || "(untagged)"}, and --k6-plan ${planFile} is ${hash.slice(0, 12)}…: the results are not of this plan (different plans), or the plan was edited; give the plan.json harness k6-operator wrote with these manifests`,
      });
      continue;
    }
    const segment = parsed.segment;
    // Complete when the runner's summary is there and counts what its raw file holds.
    const summary = await readFile(`${base}.summary.json`, "utf8").then(
      (text) => JSON.parse(text) as { metrics?: Record<string, { values?: { count?: number } }> },
      () => undefined,
    );
    const rawRequests = raw.scenarios.reduce(
      (sum, s) => sum + s.endpoints.reduce((n, e) => n + e.requests + e.errors, 0),
      0,
    );
    const summaryRequests = summary?.metrics?.http_reqs?.values?.count;
    const complete = summary !== undefined && summaryRequests === rawRequests;
    // Why a pod's shard is partial, named beside merge's own "partial".
    if (!complete)
      out.push({
        dir: file,
        problem:
          summary === undefined
            ? `${file}: runner ${instance} wrote no summary (${basename(base)}.summary.json): it did not finish`
            : `${file}: runner ${instance}'s summary counts ${summaryRequests} requests, its raw file ${rawRequests}: the file is cut short`,
      });
    out.push({
      dir: file,
      ...(raw.samples ? { samples: raw.samples } : {}),
      manifest: {
        format: "harness-shard/1",
        planHash: hash,
        plan,
        segment: {
          index: segment.index,
          count,
          text: segmentText(segment),
          k6: k6SegmentArgs(segment),
        },
        runId: `${raw.tags.testrun_name?.[0] ?? basename(dirname(file))}-${instance}`,
        engine: { name: "k6", version: "k6 (k6-operator)" },
        startedAt: new Date(raw.firstMs).toISOString(),
        finishedAt: new Date(raw.lastMs).toISOString(),
        exitStatus: complete ? "complete" : "interrupted",
        scenarios: raw.scenarios.map((s) => ({
          name: s.name,
          startedAt: new Date(raw.firstMs).toISOString(),
          dropped: s.dropped,
          interrupted: 0,
        })),
        cleanup: {
          status: "skipped",
          detail: "k6-operator runners clean nothing up: run harness sweep for the target",
          durationMs: 0,
        },
        targetVersions: {},
      },
      scenarios: raw.scenarios,
    });
  }
  if (runs.size > 1)
    out.push({
      dir: paths.join(", "),
      problem: `the files are of ${runs.size} TestRuns (${[...runs].join(", ")}): not one run`,
    });
  return out;
}
