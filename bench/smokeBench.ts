import { newRunId } from "../lib/drivers/runId.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { runEnvironment } from "../lib/result/runEnvironment.ts";
import type { RunResult } from "../lib/result/runResult.ts";
import { runSmoke } from "../smoke/runSmoke.ts";
import { requireSmokeTarget, smokeSectionProblems } from "../smoke/smokeSection.ts";
import { type BenchCommand, benchEntry, wholeNumber } from "./benchCommand.ts";
import { openLocalBenchTarget } from "./localBenchTarget.ts";

/**
 * Runs the local smoke repeatedly in one process against one stack and
 * prints figures (never asserted in tests): the plan waited a fixed 10 s per
 * run; polling with a deadline should finish well under the 1.5 s target.
 */
const BENCH = {
  runs: 30,
  phase: 3,
  timeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  targetMedianMs: 1_500,
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

const COMMAND: BenchCommand<"runs"> = {
  name: "bench:smoke",
  about: `Starts the local reference stack once (STACK_FAULTS applies), runs the phase-${BENCH.phase} smoke --runs times in a row and prints the start-up time, the median and p95 wall time per run (target median < ${BENCH.targetMedianMs} ms) and the pass count. Exit 1 when a clean run failed.`,
  options: {
    runs: {
      takes: "<n>",
      default: String(BENCH.runs),
      description: "Consecutive smoke runs against the one stack.",
      check: wholeNumber(1, 1000),
    },
  },
};

async function main(values: Record<"runs", string>): Promise<number> {
  const runs = Number(values.runs);
  const { target, startupMs } = await openLocalBenchTarget("smoke", smokeSectionProblems);
  const environment = runEnvironment(process.env);
  const walls: number[] = [];
  const failures: RunResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const began = performance.now();
      const startedAt = new Date();
      const run = {
        suite: "smoke" as const,
        runId: newRunId("smoke", startedAt),
        startedAt,
        environment,
      };
      const result = await runSmoke(requireSmokeTarget(target.profile), run, {
        phase: BENCH.phase,
        timeoutMs: BENCH.timeoutMs,
        requestTimeoutMs: BENCH.requestTimeoutMs,
        keepData: false,
      });
      walls.push(performance.now() - began);
      if (result.outcome !== "pass") failures.push(result);
    }
  } finally {
    await target.teardown();
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const passed = runs - failures.length;
  const lines = [
    `smoke bench · local stack · phase ${BENCH.phase} · ${runs} consecutive runs`,
    `  stack start-up          ${ms(startupMs)} (once, excluded below)`,
    `  wall time per run       median ${ms(median)} · p95 ${ms(percentile(sorted, 95))} · min ${ms(sorted[0] ?? Number.NaN)} · max ${ms(sorted.at(-1) ?? Number.NaN)}`,
    `  median target           < ${ms(BENCH.targetMedianMs)}: ${median < BENCH.targetMedianMs ? "met" : "MISSED"} (the plan's fixed wait was 10000 ms)`,
    `  clean runs passed       ${passed}/${runs}`,
  ];
  for (const failure of failures) {
    const failed = failure.checks
      .filter((c) => c.status !== "passed")
      .map((c) => `${c.name}: ${c.observed}`);
    lines.push(`  failed run ${failure.runId}: ${failed.join("; ")}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return exitCodeFor(failures.length === 0 ? "pass" : "checksFailed");
}

benchEntry(COMMAND, main);
