import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exitCodeFor } from "../lib/exitCodes.ts";
import type { ScenarioResult } from "../lib/result/scenarioResult.ts";
import { findK6, k6Version } from "../load/engines/k6/runK6.ts";
import { type BenchCommand, benchEntry, wholeNumber } from "./benchCommand.ts";
import { startBenchServer } from "./benchServer.ts";

/**
 * Do the Node engine and k6 say the same of the same load? Each runs one
 * open-model load through the bin as a user runs it, first against a
 * server answering after 10 ms in its own process (the engines' measuring
 * alone), then as the local stack's sustained scenario (identify and
 * webhook in turn, each engine on its own stack), and the two summaries
 * are set side by side: p95 per endpoint and the counts
 * (goal: within ±15%), requests per second over the load's own duration,
 * dropped and interrupted starts, and whether each result carries its
 * latency histograms. Figures printed, never asserted.
 */
const BENCH = { rate: 1_000, durationSec: 10, tolerance: 0.15, delayMs: 10 };
const BIN = fileURLToPath(new URL("../bin/harness.mjs", import.meta.url));
const PARITY_CONFIG = fileURLToPath(new URL("./parityTarget.config.ts", import.meta.url));

interface EngineRun {
  engine: string;
  exit: number | null;
  scenario?: ScenarioResult;
  stderr: string;
}

/** Where the load goes: the bench server (10 ms, its own process) through a declared scenario, or the local stack's sustained scenario. */
interface Against {
  label: string;
  args: string[];
  env: Record<string, string>;
}

function loadThroughBin(engine: "node" | "k6", against: Against, durationSec: number): EngineRun {
  const dir = mkdtempSync(join(tmpdir(), `parity-${engine}-`));
  try {
    const run = spawnSync(
      process.execPath,
      [BIN, "load", ...against.args, "--engine", engine, "--report-dir", dir],
      {
        encoding: "utf8",
        timeout: (durationSec + 180) * 1000,
        env: { ...process.env, ...against.env },
      },
    );
    let scenario: ScenarioResult | undefined;
    try {
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as {
        scenarios?: ScenarioResult[];
      };
      scenario = summary.scenarios?.[0];
    } catch {
      scenario = undefined;
    }
    return { engine, exit: run.status, scenario, stderr: run.stderr ?? "" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const total = (s: ScenarioResult, key: "requests" | "errors") =>
  s.endpoints.reduce((sum, e) => sum + e[key], 0);
const perSec = (s: ScenarioResult) => s.endpoints.reduce((sum, e) => sum + e.requestsPerSec, 0);

function agreement(node: number, k6: number, tolerance: number): string {
  if (node === 0 && k6 === 0) return "both 0";
  const diff = (k6 - node) / node;
  return `${diff >= 0 ? "+" : ""}${(diff * 100).toFixed(1)}% (${Math.abs(diff) <= tolerance ? "within" : "OUTSIDE"} ±${tolerance * 100}%)`;
}

function row(label: string, s: ScenarioResult): string {
  const p95 = s.endpoints.map((e) => `${e.endpoint} p95 ${e.p95Ms.toFixed(1)} ms`).join(" · ");
  const histograms = s.endpoints.every((e) => e.latency !== undefined) ? "yes" : "NO";
  return `  ${label.padEnd(5)} ${total(s, "requests")} answered, ${total(s, "errors")} errors, ${s.dropped} dropped, ${s.interrupted ?? "n/a"} interrupted · ${perSec(s).toFixed(1)} req/s over ${(s.durationMs / 1000).toFixed(2)} s · ${p95} · histograms ${histograms}`;
}

const COMMAND: BenchCommand<"rate" | "duration"> = {
  name: "bench:parity",
  about:
    "Runs one open-model load through the bin with the Node engine, then with k6, against a 10 ms server in its own process and then as the local stack's sustained scenario, and prints both engines' p95 per endpoint, counts and requests per second side by side (goal: within ±15%). Prints figures; asserts nothing.",
  options: {
    rate: {
      takes: "<per second>",
      default: String(BENCH.rate),
      description: "Arrival rate of the sustained scenario.",
      check: wholeNumber(1, 5_000),
    },
    duration: {
      takes: "<s>",
      default: String(BENCH.durationSec),
      description: "Seconds of load per engine.",
      check: wholeNumber(1, 600, "seconds"),
    },
  },
  notes: [
    "Needs k6 (K6_BIN, or k6 on PATH); without it only the Node engine's figures are printed, with how to get k6.",
  ],
};

/** Both engines on one target, side by side. */
async function compare(against: Against, k6: string | undefined, durationSec: number) {
  const lines = [`  ${against.label}`];
  const node = loadThroughBin("node", against, durationSec);
  if (!node.scenario) {
    lines.push(`  node  no result (exit ${node.exit}):\n${node.stderr.slice(-2000)}`);
    return { lines, ok: false };
  }
  lines.push(row("node", node.scenario));
  if (k6 === undefined) return { lines, ok: true };
  const other = loadThroughBin("k6", against, durationSec);
  if (!other.scenario) {
    lines.push(`  k6    no result (exit ${other.exit}):\n${other.stderr.slice(-2000)}`);
    return { lines, ok: false };
  }
  const a = node.scenario;
  const b = other.scenario;
  lines.push(row("k6", b), "    k6 against node:");
  for (const e of a.endpoints) {
    const f = b.endpoints.find((x) => x.endpoint === e.endpoint);
    lines.push(
      f
        ? `    ${e.endpoint.padEnd(9)} p95 ${agreement(e.p95Ms, f.p95Ms, BENCH.tolerance)} · answered ${agreement(e.requests, f.requests, BENCH.tolerance)}`
        : `    ${e.endpoint}: k6 reported no such endpoint`,
    );
  }
  lines.push(
    `    all       req/s ${agreement(perSec(a), perSec(b), BENCH.tolerance)} · errors ${total(a, "errors")} vs ${total(b, "errors")}`,
  );
  return { lines, ok: true };
}

benchEntry(COMMAND, async (values) => {
  const rate = Number(values.rate);
  const durationSec = Number(values.duration);
  const k6 = findK6(process.env);
  const out = (lines: string[]) => process.stdout.write(`${lines.join("\n")}\n`);
  out([
    `engine parity · open model, ${rate} req/s for ${durationSec} s (targets: p95 and counts within ±${BENCH.tolerance * 100}%) · ${k6 ? await k6Version(k6) : "k6 not found (K6_BIN, or k6 on PATH): the Node engine's figures only"}`,
  ]);
  const server = await startBenchServer(BENCH.delayMs);
  let ok = true;
  try {
    const fixed = await compare(
      {
        label: `a server answering after ${BENCH.delayMs} ms, in its own process (a declared scenario, bench/parityTarget.config.ts):`,
        args: ["--config", PARITY_CONFIG, "--target", "parity", "--scenario", "steady"],
        env: {
          PARITY_URL: server.origin,
          PARITY_RATE: String(rate),
          PARITY_DURATION: String(durationSec),
        },
      },
      k6,
      durationSec,
    );
    out(fixed.lines);
    ok &&= fixed.ok;
  } finally {
    server.stop();
  }
  const local = await compare(
    {
      label:
        "the local stack's sustained scenario (identify and webhook in turn; the stack shares the machine's cores with the generator):",
      args: [
        "--target",
        "local",
        "--scenario",
        "sustained",
        "--rate",
        String(rate),
        "--duration",
        `${durationSec}s`,
      ],
      env: {},
    },
    k6,
    durationSec,
  );
  out(local.lines);
  ok &&= local.ok;
  if (!k6) out(["  k6    not found: build k6, set K6_BIN, and run pnpm bench:parity again."]);
  return exitCodeFor(ok ? "pass" : "internalError");
});
