import { execFile, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { delimiter, join } from "node:path";
import type { Agent } from "undici";
import { testUserDisplayName } from "../../lib/drivers/runId.ts";
import { DEFAULT_EXPECTED_STATUSES } from "../../lib/expectedStatuses.ts";
import type { ScenarioResult } from "../../lib/result/scenarioResult.ts";
import type { LoadTarget } from "../loadSection.ts";
import type { TestIdentity } from "../loadTraffic.ts";
import {
  judgeScenario,
  latencyMetrics,
  type ScenarioRun,
  startPoolSampler,
} from "../scenarioParts.ts";
import type { ScenarioDefinition } from "../scenarios.ts";
import { k6Options } from "./k6Options.ts";
import { EVENT_ID_PLACEHOLDER, K6_ENV, type K6Plan } from "./k6Plan.ts";
import { endpointFromSummary, type K6Summary, observedInSummary } from "./k6Summary.ts";

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

/** The requests of a run as data k6 reads: identify bodies per test user, a webhook event template. */
export function k6PlanParts(
  target: LoadTarget,
  runId: string,
  identities: readonly TestIdentity[],
  eventPrefix: string,
): Omit<K6Plan, "options"> {
  const { load } = target;
  const displayName = testUserDisplayName(runId);
  const identifyIds = (user: TestIdentity) => ({
    runId,
    lineUserId: user.sub,
    displayName,
    idToken: user.idToken,
  });
  const first = identities[0];
  return {
    ...(first
      ? {
          identify: {
            url: `${target.services[load.identify.service].url}${load.identify.path(identifyIds(first))}`,
            headers: { "content-type": "application/json", ...load.identify.headers },
            expectedStatuses: [...(load.identify.expectedStatuses ?? DEFAULT_EXPECTED_STATUSES)],
            bodies: identities.map((user) =>
              JSON.stringify(load.identify.body?.(identifyIds(user)) ?? {}),
            ),
          },
        }
      : {}),
    webhook: {
      url: `${target.services[load.webhook.service].url}${load.webhook.path}`,
      headers: { "content-type": "application/json" },
      expectedStatuses: [...(load.webhook.expectedStatuses ?? DEFAULT_EXPECTED_STATUSES)],
      template: JSON.stringify(
        load.webhook.eventBody({
          eventId: EVENT_ID_PLACEHOLDER,
          runId,
          lineUserId: `U${"0".repeat(32)}`,
        }),
      ),
      scheme: load.webhook.signing.scheme,
      eventPrefix,
    },
  };
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

/**
 * Runs one scenario with k6 (the bundled load script), the pool sampler
 * beside it, and judges the scenario's thresholds on k6's summary with the
 * same evaluator as the Node engine. A signal stops k6 gracefully (SIGINT):
 * it still writes its summary. The plan lives in `workDir` (private, not
 * the report dir); the signing secret goes to k6 through its environment.
 */
export async function runK6Scenario(options: {
  bin: string;
  version: string;
  bundle: string;
  workDir: string;
  scenario: ScenarioDefinition;
  target: LoadTarget;
  parts: Omit<K6Plan, "options">;
  agent: Agent;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}): Promise<ScenarioRun> {
  const { scenario, target } = options;
  const planFile = join(options.workDir, `plan-${scenario.name}.json`);
  const summaryFile = join(options.workDir, `summary-${scenario.name}.json`);
  const plan: K6Plan = { options: k6Options([scenario]), ...options.parts };
  await writeFile(planFile, JSON.stringify(plan), { mode: 0o600 });
  const started = performance.now();
  const { sampler } = await startPoolSampler(target, options.agent, started);
  const child = spawn(options.bin, ["run", "--quiet", "--no-color", options.bundle], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      // Nothing but the target may be reached from here.
      K6_NO_USAGE_REPORT: "true",
      [K6_ENV.plan]: planFile,
      [K6_ENV.summary]: summaryFile,
      [K6_ENV.webhookSecret]: target.load.webhook.signing.secret,
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
  options.signal?.addEventListener("abort", stop);
  const ticker = setInterval(() => {
    const elapsed = Math.round((performance.now() - started) / 1000);
    const pools = [...sampler.live()].map(
      ([s, p]) => `${s} pool ${p.inUse} in use/${p.waiting} waiting`,
    );
    options.onProgress?.(
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
  options.signal?.removeEventListener("abort", stop);
  const { pools, database } = await sampler.stop();
  const durationMs = performance.now() - started;
  if (code === null || !K6_OK_EXITS.has(code)) {
    throw new Error(
      `k6 exited with ${code ?? "a signal"} running ${scenario.name}:\n${output.trim()}`,
    );
  }
  const summary = JSON.parse(await readFile(summaryFile, "utf8")) as K6Summary;
  const endpoints = scenario.endpoints.map((e) => endpointFromSummary(summary, scenario.name, e));
  const thresholds = judgeScenario(
    scenario,
    { pools, endpoints, ...(database ? { database } : {}) },
    (spec) => observedInSummary(summary, spec),
  );
  const seconds = durationMs / 1000;
  const cpuPct = cpuAtEnd === undefined ? 0 : (cpuAtEnd / seconds) * 100;
  const cpuLimit = cpus().length * 90;
  const result: ScenarioResult = {
    name: scenario.name,
    model: { ...scenario.model },
    engine: { name: "k6", version: options.version },
    durationMs: Math.round(durationMs),
    endpoints: endpoints.map((e) => ({
      ...e,
      requestsPerSec: Math.round(((e.requests + e.errors) / seconds) * 10) / 10,
    })),
    dropped: summary.metrics[`dropped_iterations{scenario:${scenario.name}}`]?.values.count ?? 0,
    // k6's end-of-test summary has no time series; the Node engine keeps one.
    series: [],
    pools,
    ...(database ? { database } : {}),
    generator: {
      // k6 is Go: no event loop to lag; its CPU across all cores is what can limit it.
      eventLoopLagP99Ms: 0,
      eventLoopLagMaxMs: 0,
      cpuPct,
      generatorBound: cpuPct > cpuLimit,
      ...(cpuPct > cpuLimit
        ? { reason: `k6 CPU ${Math.round(cpuPct)}% > ${cpuLimit}% (all cores)` }
        : {}),
    },
  };
  const metrics = latencyMetrics(scenario.name, endpoints);
  return { result, thresholds, metrics };
}
