import { execFile, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { delimiter, join } from "node:path";
import { k6SegmentArgs } from "../../executionSegment.ts";
import { k6Options } from "../../k6format/k6Options.ts";
import {
  K6_ENV,
  type K6Plan,
  type LoadRequests,
  secretEnv,
  splitRequests,
} from "../../k6format/k6Plan.ts";
import { K6_RUNNER_SYSTEM_TAGS, k6RawFile, readK6Raw } from "../../k6format/k6Raw.ts";
import type { EngineMeasurement, ScenarioEngine } from "../scenarioEngine.ts";
import { type K6SummaryData, k6RunMeasurement } from "./k6RunMeasurement.ts";

/** The k6 binary: K6_BIN if set, else `k6` on PATH; undefined when there is none. */
export function findK6(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const candidates = env.K6_BIN
    ? [env.K6_BIN]
    : (env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, "k6"));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** `k6 version`'s first line, e.g. `k6 v1.2.0 (go1.23.5, linux/amd64)`. */
export function k6Version(bin: string): Promise<string> {
  return new Promise((resolve) =>
    execFile(bin, ["version"], { timeout: 10_000 }, (error, stdout) =>
      resolve(error ? "k6 (version unknown)" : (stdout.split("\n")[0] ?? "").trim()),
    ),
  );
}

/** CPU seconds a process has used so far, from /proc (Linux); undefined elsewhere. */
async function cpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
    return (Number(stat[11]) + Number(stat[12])) / 100;
  } catch {
    return undefined;
  }
}

/** k6's exit codes the harness expects: 0 pass, 99 thresholds crossed, 105 stopped by a signal. */
const K6_OK_EXITS = new Set([0, 99, 105]);

/** k6's own CPU as the generator's health: Go has no event loop to lag; all cores can limit it. */
function k6Generator(run: {
  seconds: number;
  cpuSeconds: number | undefined;
}): EngineMeasurement["generator"] {
  const cpuPct = run.cpuSeconds === undefined ? undefined : (run.cpuSeconds / run.seconds) * 100;
  const cpuLimit = cpus().length * 90;
  const bound = cpuPct !== undefined && cpuPct > cpuLimit;
  // k6 has no event loop of ours: its lag is absent, not 0.
  return {
    ...(cpuPct !== undefined ? { cpuPct } : {}),
    generatorBound: bound,
    ...(bound ? { reason: `k6 CPU ${Math.round(cpuPct)}% > ${cpuLimit}% (all cores)` } : {}),
  };
}

/**
 * The k6 engine: the bundled load script runs the scenario (its options
 * generated from the same definition); its raw samples (`--out json`, only
 * the system tags merge reads) are read back into the Node engine's
 * fields, checked against the summary k6 wrote (`k6RunMeasurement`). A
 * signal stops k6 gracefully (SIGINT): it still writes its summary. The
 * plan lives in `workDir` (private, not the report dir); the signing
 * secret goes to k6 through its environment.
 */
export function k6Engine(options: {
  bin: string;
  version: string;
  bundle: string;
  workDir: string;
  /** A runner's raw results go here (its shard folder), k6RawFile(scenario); default workDir. */
  rawDir?: string;
  parts: LoadRequests;
  /** Signing secrets by endpoint, passed to k6 in its environment only. */
  secrets: Readonly<Record<string, string>>;
}): ScenarioEngine {
  return {
    async run(scenario, context) {
      const planFile = join(options.workDir, `plan-${scenario.name}.json`);
      const requestsFile = join(options.workDir, "requests.json");
      const summaryFile = join(options.workDir, `summary-${scenario.name}.json`);
      const { shapes, made } = splitRequests(options.parts);
      // A runner of a split run: its execution segment, no thresholds, every sample raw (merge adds them).
      const segment = context.segment ? k6SegmentArgs(context.segment.segment) : undefined;
      // Every run keeps its raw samples: a runner's in its shard folder, a whole run's in the private workDir.
      const rawFile = join(
        (segment && options.rawDir) || options.workDir,
        k6RawFile(scenario.name),
      );
      const plan: K6Plan = {
        options: k6Options([scenario], { runner: segment !== undefined }),
        endpoints: shapes,
        scenarios: { [scenario.name]: scenario.endpoints },
      };
      await writeFile(planFile, JSON.stringify(plan), { mode: 0o600 });
      await writeFile(requestsFile, JSON.stringify(made), { mode: 0o600 });
      const started = context.startedMs;
      const args = [
        "run",
        "--quiet",
        "--no-color",
        ...(segment
          ? [
              `--execution-segment=${segment.segment}`,
              `--execution-segment-sequence=${segment.sequence}`,
            ]
          : []),
        "--out",
        `json=${rawFile}`,
        // Only the tags merge reads: a smaller file, and no URL (it may carry a username) in a shard that travels.
        `--system-tags=${K6_RUNNER_SYSTEM_TAGS}`,
        options.bundle,
      ];
      const child = spawn(options.bin, args, {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          // Nothing but the target may be reached from here.
          K6_NO_USAGE_REPORT: "true",
          [K6_ENV.plan]: planFile,
          [K6_ENV.requests]: requestsFile,
          [K6_ENV.summary]: summaryFile,
          ...Object.fromEntries(
            Object.entries(options.secrets).map(([endpoint, secret]) => [
              secretEnv(endpoint),
              secret,
            ]),
          ),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4_000);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const stop = () => child.kill("SIGINT");
      context.signal?.addEventListener("abort", stop);
      const ticker = setInterval(() => {
        const elapsed = Math.round((performance.now() - started) / 1000);
        const pools = Object.entries(context.livePools()).map(
          ([s, p]) => `${s} pool ${p?.inUse} in use/${p?.waiting} waiting`,
        );
        context.onProgress?.(
          `${scenario.name} ${elapsed}/${scenario.model.durationSec} s under k6${pools.length ? ` · ${pools.join(" · ")}` : ""}`,
        );
      }, 10_000);
      // /proc is gone once k6 exits: its CPU is read while it runs.
      let cpuAtEnd: number | undefined;
      const cpuTimer = setInterval(() => {
        void cpuSeconds(child.pid).then((s) => {
          if (s !== undefined) cpuAtEnd = s;
        });
      }, 1_000);
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      clearInterval(cpuTimer);
      clearInterval(ticker);
      context.signal?.removeEventListener("abort", stop);
      if (code === null || !K6_OK_EXITS.has(code))
        throw new Error(
          `k6 exited with ${code ?? "a signal"} running ${scenario.name}:\n${output.trim()}`,
        );
      const seconds = (performance.now() - started) / 1000;
      const summary = await readFile(summaryFile, "utf8").then(
        (text) => JSON.parse(text) as K6SummaryData,
        () => undefined,
      );
      return k6RunMeasurement(
        await readK6Raw(rawFile, [scenario], options.version),
        summary,
        scenario,
        {
          version: options.version,
          generator: k6Generator({ seconds, cpuSeconds: cpuAtEnd }),
        },
        {
          ...(context.segment ? { segment: context.segment } : {}),
          aborted: context.signal?.aborted ?? false,
        },
      );
    },
  };
}
