import {
  type ExecutionSegment,
  equalSequence,
  MAX_START_WAIT_MS,
  parseSegment,
} from "../load/executionSegment.ts";
import { CLI_DEFAULTS } from "./cliOptions.ts";

/*
 * The options of a split run, resolved like the rest (cli/commandLine.ts
 * calls these): a runner's segment, shard folder and agreed start (`load`),
 * and the runners and manifests of the generators (`k6-operator`,
 * `k8s-job`). Problems go to `problems`, every one listed.
 */

type Get = (flag: string) => { value: string | undefined; from: string };

/** load: this runner's share (--segment), where its shard goes, and the agreed start. */
export interface SplitOptions {
  segment: ExecutionSegment | undefined;
  shardDir: string | undefined;
  startAtMs: number | undefined;
}

/** k6-operator, k8s-job: the runners and where the manifests go. */
export interface DistributeOptions {
  parallelism: number;
  out: string | undefined;
  name: string | undefined;
  namespace: string | undefined;
  image: string | undefined;
  storage: string | undefined;
}

/** A Kubernetes object name: DNS-1123, at most 63 characters. */
function dnsName(get: Get, flag: string, problems: string[]): string | undefined {
  const { value, from } = get(flag);
  if (value === undefined) return undefined;
  if (/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(value)) return value;
  problems.push(
    `${from}="${value}" is not a Kubernetes name: lowercase letters, digits and -, starting and ending with a letter or digit, at most 52 characters (its ConfigMap, Secret and claim add a suffix).`,
  );
  return undefined;
}

function storageSize(get: Get, problems: string[]): string | undefined {
  const { value, from } = get("storage");
  if (value === undefined || /^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/.test(value)) return value;
  problems.push(`${from}="${value}" is not a size: use e.g. 500Mi, 2Gi or 1Ti.`);
  return undefined;
}

/** The agreed start: ISO 8601 with a zone, or epoch seconds. */
function parseStartAt(text: string): number | undefined {
  if (/^\d{9,11}$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

export function splitOptions(
  get: Get,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
  now: number,
): SplitOptions {
  const { value: segmentText, from: segmentFrom } = get("segment");
  const { value: sequenceText, from: sequenceFrom } = get("segment-sequence");
  const { value: shardDir } = get("shard-dir");
  let segment: ExecutionSegment | undefined;
  if (segmentText !== undefined) {
    let text = segmentText;
    const job = /^\s*job\/(\d{1,4})\s*$/.exec(segmentText);
    if (job) {
      const index = env.JOB_COMPLETION_INDEX;
      if (index === undefined || !/^\d{1,4}$/.test(index))
        problems.push(
          `${segmentFrom}="${segmentText}" takes its index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it), which is ${index === undefined ? "not set" : `"${index}"`}. Outside such a Job give --segment i/N.`,
        );
      else text = `${Number(index) + 1}/${job[1]}`;
    }
    if (!job || text !== segmentText) {
      const parsed = parseSegment(text, sequenceText);
      if ("problem" in parsed) problems.push(`${segmentFrom}: ${parsed.problem}`);
      else segment = parsed.segment;
    }
    if (shardDir === undefined)
      problems.push(
        `${segmentFrom}="${segmentText}" needs --shard-dir: a runner's share judged alone would judge a slice of the scenario. Write a shard per runner and judge the whole with harness merge.`,
      );
  } else if (sequenceText !== undefined)
    problems.push(`${sequenceFrom} is given without --segment a:b: give the segment it cuts.`);
  const { value: startText, from: startFrom } = get("start-at");
  let startAtMs: number | undefined;
  if (startText !== undefined) {
    startAtMs = parseStartAt(startText);
    if (startAtMs === undefined)
      problems.push(
        `${startFrom}="${startText}" is not a time. Use ISO 8601 with a zone (2026-12-01T20:00:00Z) or epoch seconds.`,
      );
    else if (startAtMs - now > MAX_START_WAIT_MS) {
      problems.push(
        `${startFrom}="${startText}" is more than ${MAX_START_WAIT_MS / 60_000} minutes away: a runner waits at most that long. Agree on a nearer start.`,
      );
      startAtMs = undefined;
    } else if (now - startAtMs > MAX_START_WAIT_MS) {
      // A runner past its start goes at once and records its lateness; one this late was given the wrong time.
      problems.push(
        `${startFrom}="${startText}" was more than ${MAX_START_WAIT_MS / 60_000} minutes ago: the runners would not start together. Agree on a start a little ahead of now.`,
      );
      startAtMs = undefined;
    }
  }
  return {
    segment:
      segment ?? (shardDir !== undefined ? { sequence: equalSequence(1), index: 0 } : undefined),
    shardDir,
    startAtMs,
  };
}

/** The generators' options; `parallelism` as the caller's number check read it (undefined: the default). */
export function distributeOptions(
  get: Get,
  parallelism: number | undefined,
  problems: string[],
): DistributeOptions {
  return {
    parallelism: parallelism ?? Number(CLI_DEFAULTS.parallelism),
    out: get("out").value,
    name: dnsName(get, "name", problems),
    namespace: dnsName(get, "namespace", problems),
    image: get("image").value,
    storage: storageSize(get, problems),
  };
}
