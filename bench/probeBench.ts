import { newRunId } from "../lib/drivers/runId.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { runEnvironment } from "../lib/result/runEnvironment.ts";
import type { RunResult } from "../lib/result/runResult.ts";
import { probeSectionProblems, requireProbeTarget } from "../probe/probeSection.ts";
import { runProbe } from "../probe/runProbe.ts";
import { type BenchCommand, benchEntry, wholeNumber } from "./benchCommand.ts";
import { openLocalBenchTarget } from "./localBenchTarget.ts";

/**
 * Every probe (the webhook probes against both of the local stack's
 * receivers, and the HTTP surface's) run again and again against one
 * stack: the wall time per run, printed, never asserted (goals: under 10 s
 * for all of it, under 5 s for the webhook probes).
 */
const BENCH = {
  runs: 5,
  /** Part 1's goal: the webhook probes (W, H) of both receivers. */
  webhookTargetMs: 5_000,
  /** Part 2's goal: every family together. */
  targetMs: 10_000,
  timeoutMs: 10_000,
  requestTimeoutMs: 10_000,
};

const COMMAND: BenchCommand<"runs"> = {
  name: "bench:probe",
  about: `Starts the local reference stack once (STACK_FAULTS applies), runs every probe --runs times and prints the wall time per run (median, max; goal < ${BENCH.targetMs} ms), the webhook probes' share of it (goal < ${BENCH.webhookTargetMs} ms), the probes and deliveries per run, and the pass count. Exit 1 when a run on a clean stack failed.`,
  options: {
    runs: {
      takes: "<n>",
      default: String(BENCH.runs),
      description: "Consecutive probe runs against the one stack.",
      check: wholeNumber(1, 100),
    },
  },
};

benchEntry(COMMAND, async (values) => {
  const runs = Number(values.runs);
  const { target, startupMs } = await openLocalBenchTarget("probe", probeSectionProblems);
  const environment = runEnvironment(process.env);
  const walls: number[] = [];
  const webhookMs: number[] = [];
  const failures: RunResult[] = [];
  let last: RunResult | undefined;
  try {
    for (let i = 0; i < runs; i++) {
      const startedAt = new Date();
      const mark = performance.now();
      last = await runProbe(
        requireProbeTarget(target.profile),
        { suite: "probe", runId: newRunId("probe", startedAt), startedAt, environment },
        {
          requestTimeoutMs: BENCH.requestTimeoutMs,
          timeoutMs: BENCH.timeoutMs,
          keepData: false,
          confirmProduction: false,
        },
      );
      walls.push(performance.now() - mark);
      // W and H checks are named "<id> <title> (<receiver>)"; the surface's have no receiver.
      webhookMs.push(
        last.checks.filter((c) => /\)$/.test(c.name)).reduce((sum, c) => sum + c.durationMs, 0),
      );
      if (last.outcome !== "pass") failures.push(last);
    }
  } finally {
    await target.teardown();
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  const max = sorted.at(-1) ?? Number.NaN;
  const lines = [
    `probe bench · local stack · ${runs} runs of every probe`,
    `  stack start-up      ${Math.round(startupMs)} ms (once, excluded below)`,
    `  per run             ${last?.checks.length ?? 0} probes, ${last?.testData.deliveries ?? "?"} deliveries, cleanup included`,
    `  wall time per run   median ${Math.round(median)} ms · max ${Math.round(max)} ms`,
    `  goal                < ${BENCH.targetMs} ms: ${max < BENCH.targetMs ? "met" : "MISSED"}`,
    `  webhook probes      max ${Math.round(Math.max(...webhookMs))} ms of it (W, H; goal < ${BENCH.webhookTargetMs} ms: ${Math.max(...webhookMs) < BENCH.webhookTargetMs ? "met" : "MISSED"})`,
    `  clean runs passed   ${runs - failures.length}/${runs}`,
  ];
  for (const f of failures)
    lines.push(
      `  failed run ${f.runId}: ${f.checks
        .filter((c) => c.status !== "passed")
        .map((c) => `${c.name}: ${c.observed}`)
        .join("; ")}`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
  return exitCodeFor(failures.length === 0 ? "pass" : "checksFailed");
});
