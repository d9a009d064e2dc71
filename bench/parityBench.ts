import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exitCodeFor } from "../lib/exitCodes.ts";
import type { ScenarioResult } from "../lib/result/scenarioResult.ts";
import { findK6, k6Version } from "../load/engines/k6/runK6.ts";
import { type BenchCommand, benchEntry, wholeNumber } from "./benchCommand.ts";

/**
 * Do the Node engine and k6 say the same of the same load? Each runs the
 * sustained scenario (open model, identify and webhook in turn) at one rate
 * against its own local stack, through the bin as a user runs it, and the
 * two summaries are set side by side: p95 per endpoint and the counts
 * (goal: within ±15%), requests per second over the load's own duration,
 * dropped and interrupted starts, and whether each result carries its
 * latency histograms. Figures printed, never asserted.
 */
const BENCH = { rate: 1_000, durationSec: 10, tolerance: 0.15 };
const BIN = fileURLToPath(new URL("../bin/harness.mjs", import.meta.url));

interface EngineRun {
  engine: string;
  exit: number | null;
  scenario?: ScenarioResult;
  stderr: string;
}

function runLoad(engine: "node" | "k6", rate: number, durationSec: number): EngineRun {
  const dir = mkdtempSync(join(tmpdir(), `parity-${engine}-`));
  try {
    const run = spawnSync(
      process.execPath,
      [
        BIN,
        "load",
        "--target",
        "local",
        "--scenario",
        "sustained",
        "--engine",
        engine,
        "--rate",
        String(rate),
        "--duration",
        `${durationSec}s`,
        "--report-dir",
        dir,
      ],
      { encoding: "utf8", timeout: (durationSec + 180) * 1000, env: process.env },
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
    "Runs the sustained scenario (open model) through the bin with the Node engine, then with k6, each on its own local stack, and prints both engines' p95 per endpoint, counts and requests per second side by side (goal: within ±15%). Prints figures; asserts nothing.",
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

benchEntry(COMMAND, async (values) => {
  const rate = Number(values.rate);
  const durationSec = Number(values.duration);
  const k6 = findK6(process.env);
  const lines = [
    `engine parity · sustained, open model, ${rate} req/s for ${durationSec} s, local stack (targets: p95 and counts within ±${BENCH.tolerance * 100}%)`,
  ];
  const node = runLoad("node", rate, durationSec);
  if (!node.scenario) {
    process.stdout.write(
      `${lines.join("\n")}\n  node  no result (exit ${node.exit}):\n${node.stderr.slice(-2000)}\n`,
    );
    return exitCodeFor("internalError");
  }
  lines.push(row("node", node.scenario));
  if (k6 === undefined) {
    lines.push(
      "  k6    not found (K6_BIN, or k6 on PATH): build k6 and set K6_BIN, then run pnpm bench:parity again.",
    );
    process.stdout.write(`${lines.join("\n")}\n`);
    return exitCodeFor("pass");
  }
  const other = runLoad("k6", rate, durationSec);
  if (!other.scenario) {
    lines.push(`  k6    no result (exit ${other.exit}):\n${other.stderr.slice(-2000)}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return exitCodeFor("internalError");
  }
  const a = node.scenario;
  const b = other.scenario;
  lines.push(row("k6", b), `  k6 is ${await k6Version(k6)}; k6 against node:`);
  for (const e of a.endpoints) {
    const f = b.endpoints.find((x) => x.endpoint === e.endpoint);
    if (!f) {
      lines.push(`    ${e.endpoint}: k6 reported no such endpoint`);
      continue;
    }
    lines.push(
      `    ${e.endpoint.padEnd(9)} p95 ${agreement(e.p95Ms, f.p95Ms, BENCH.tolerance)} · answered ${agreement(e.requests, f.requests, BENCH.tolerance)}`,
    );
  }
  lines.push(
    `    all       req/s ${agreement(perSec(a), perSec(b), BENCH.tolerance)} · errors ${total(a, "errors")} vs ${total(b, "errors")}`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  return exitCodeFor("pass");
});
