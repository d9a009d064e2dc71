import { execFile } from "node:child_process";
import autocannon from "autocannon";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { runClosedModel } from "../load/engines/node/closedModel.ts";
import { runOpenModel } from "../load/engines/node/openModel.ts";
import { Tally } from "../load/engines/node/tally.ts";
import { constantRate } from "../load/scenarios/stages.ts";
import { type BenchCommand, benchEntry } from "./benchCommand.ts";
import { benchTraffic, startBenchServer } from "./benchServer.ts";

/**
 * Is what the Node engine reports true? Figures printed, never asserted.
 * 1. Open model, 50 req/s for 20 s, against a server that answers after
 *    exactly 100 ms: p50 and p95 must be 100 ms ± 5. autocannon's own figures
 *    at the same rate are printed beside them (its coordinated-omission
 *    correction assumes a 1 ms interval).
 * 2. Closed model, 100 connections for 10 s, against a fast server, and wrk
 *    on the same server: p50 within ±15%, and each one's CPU per 1000
 *    requests (the harness's process; wrk's from bash's `time`).
 * 3. Open model at 2,000 and 5,000 req/s for 5 s against a 10 ms server:
 *    p50 and p95 within ±2 ms of the true delay, and how late starts went out.
 */
const BENCH = { rate: 50, openSec: 20, delayMs: 100, connections: 100, closedSec: 10 };

function verdict(value: number, target: number, tolerance: number): string {
  return Math.abs(value - target) <= tolerance ? "within" : "OUTSIDE";
}

async function openModelAgainstDelay(): Promise<string[]> {
  const server = await startBenchServer(BENCH.delayMs);
  try {
    const tally = new Tally(["identify"], performance.now());
    await runOpenModel({
      traffic: [benchTraffic(server.origin)],
      schedule: constantRate(BENCH.rate, BENCH.openSec),
      maxInFlight: 100,
      tally,
    });
    const e = tally.figures().endpoints[0];
    tally.destroy();
    const ac = await new Promise<autocannon.Result>((resolve, reject) =>
      autocannon(
        { url: server.origin, connections: 10, overallRate: BENCH.rate, duration: BENCH.openSec },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
    return [
      `open model, ${BENCH.rate} req/s for ${BENCH.openSec} s, server delay ${BENCH.delayMs} ms (target ${BENCH.delayMs} ± 5 ms):`,
      `  harness   ${e?.requests} requests · p50 ${e?.p50Ms.toFixed(1)} ms (${verdict(e?.p50Ms ?? 0, BENCH.delayMs, 5)}) · p95 ${e?.p95Ms.toFixed(1)} ms (${verdict(e?.p95Ms ?? 0, BENCH.delayMs, 5)}) · max ${e?.maxMs.toFixed(1)} ms`,
      `  autocannon's own figures at the same rate: p50 ${ac.latency.p50} ms · p97.5 ${ac.latency.p97_5} ms · max ${ac.latency.max} ms (not used by the harness)`,
    ];
  } finally {
    server.stop();
  }
}

/** wrk on the same server: its p50, its request count and the CPU seconds it used (user + system, from bash's `time`). */
function wrkRun(
  origin: string,
): Promise<{ p50Ms: number; requests: number; cpuSec: number } | undefined> {
  return new Promise((resolve) =>
    execFile(
      "bash",
      [
        "-c",
        `TIMEFORMAT='%U %S'; time wrk -t2 -c${BENCH.connections} -d${BENCH.closedSec}s --latency ${origin}/`,
      ],
      (error, stdout, stderr) => {
        if (error) return resolve(undefined);
        const match = /^\s+50%\s+([\d.]+)(us|ms|s)$/m.exec(stdout);
        const requests = /^\s*(\d+) requests in/m.exec(stdout);
        const cpu = /^([\d.]+) ([\d.]+)\s*$/m.exec(stderr);
        if (!match || !requests || !cpu) return resolve(undefined);
        const unit = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
        resolve({
          p50Ms: Number(match[1]) * unit,
          requests: Number(requests[1]),
          cpuSec: Number(cpu[1]) + Number(cpu[2]),
        });
      },
    ),
  );
}

/** CPU milliseconds per 1000 requests. */
const perThousand = (cpuSec: number, requests: number) =>
  requests === 0
    ? "n/a"
    : `${((cpuSec * 1000 * 1000) / requests).toFixed(1)} ms CPU per 1000 requests`;

async function openModelAtHighRates(): Promise<string[]> {
  const delayMs = 10;
  const server = await startBenchServer(delayMs);
  const lines = [
    `open model at high rates, 5 s each, server delay ${delayMs} ms (target: p50 and p95 within ±2 ms of ${delayMs} ms; starts on time):`,
  ];
  try {
    for (const rate of [2_000, 5_000]) {
      const tally = new Tally(["identify"], performance.now());
      const cpu = process.cpuUsage();
      const { lateness } = await runOpenModel({
        traffic: [benchTraffic(server.origin)],
        schedule: constantRate(rate, 5),
        maxInFlight: 1_000,
        tally,
      });
      const used = process.cpuUsage(cpu);
      const f = tally.figures();
      const e = f.endpoints[0];
      tally.destroy();
      lines.push(
        `  ${rate} req/s   ${e?.requests} answered, ${f.dropped} dropped · p50 ${e?.p50Ms.toFixed(2)} ms (${verdict(e?.p50Ms ?? 0, delayMs, 2)}) · p95 ${e?.p95Ms.toFixed(2)} ms (${verdict(e?.p95Ms ?? 0, delayMs, 2)}) · starts late p50 ${lateness.p50Ms.toFixed(2)} ms, p99 ${lateness.p99Ms.toFixed(2)} ms, max ${lateness.maxMs.toFixed(1)} ms · ${perThousand((used.user + used.system) / 1e6, e?.requests ?? 0)}`,
      );
    }
    return lines;
  } finally {
    server.stop();
  }
}

async function closedModelAgainstWrk(): Promise<string[]> {
  const server = await startBenchServer(0);
  try {
    const tally = new Tally(["identify"], performance.now());
    const cpu = process.cpuUsage();
    await runClosedModel({
      traffic: benchTraffic(server.origin),
      connections: BENCH.connections,
      durationSec: BENCH.closedSec,
      tally,
      maxRequests: 100_000_000,
    });
    const used = process.cpuUsage(cpu);
    const e = tally.figures().endpoints[0];
    tally.destroy();
    const wrkResult = await wrkRun(server.origin);
    const wrk = wrkResult?.p50Ms;
    const lines = [
      `closed model, ${BENCH.connections} connections for ${BENCH.closedSec} s against a fast server, beside wrk (target: p50 within ±15%):`,
      `  harness   ${e?.requests} requests · ${((e?.requests ?? 0) / BENCH.closedSec).toFixed(0)} req/s · p50 ${e?.p50Ms.toFixed(2)} ms · ${perThousand((used.user + used.system) / 1e6, e?.requests ?? 0)}`,
    ];
    if (wrk === undefined) {
      lines.push(
        "  wrk       not installed: apt-get install wrk (Debian), then run pnpm bench:accuracy again.",
      );
    } else {
      const diff = ((e?.p50Ms ?? 0) - wrk) / wrk;
      lines.push(
        `  wrk       ${wrkResult?.requests} requests · p50 ${wrk.toFixed(2)} ms · harness − wrk: ${(diff * 100).toFixed(1)}% (${Math.abs(diff) <= 0.15 ? "within" : "OUTSIDE"} ±15%) · ${perThousand(wrkResult?.cpuSec ?? 0, wrkResult?.requests ?? 0)}`,
      );
    }
    return lines;
  } finally {
    server.stop();
  }
}

const COMMAND: BenchCommand<never> = {
  name: "bench:accuracy",
  about:
    "Checks the Node engine's latency figures against a known server delay (open model, also at 2,000 and 5,000 req/s with start lateness) and against wrk (closed model, with CPU per 1000 requests). Prints figures; asserts nothing.",
  options: {},
  notes: ["Needs wrk for part 2 (Debian: apt-get install wrk)."],
};

benchEntry(COMMAND, async () => {
  const lines = [
    ...(await openModelAgainstDelay()),
    "",
    ...(await closedModelAgainstWrk()),
    "",
    ...(await openModelAtHighRates()),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return exitCodeFor("pass");
});
