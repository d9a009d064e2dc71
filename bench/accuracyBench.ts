import { execFile } from "node:child_process";
import autocannon from "autocannon";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { runClosedModel } from "../load/engine/closedModel.ts";
import { runOpenModel } from "../load/engine/openModel.ts";
import { Tally } from "../load/engine/tally.ts";
import { constantRate } from "../load/stages.ts";
import { type BenchCommand, benchEntry } from "./benchCommand.ts";
import { benchTraffic, startBenchServer } from "./benchServer.ts";

/**
 * Is what the Node engine reports true? Figures printed, never asserted.
 * 1. Open model, 50 req/s for 20 s, against a server that answers after
 *    exactly 100 ms: p50 and p95 must be 100 ms ± 5. autocannon's own figures
 *    at the same rate are printed beside them (its coordinated-omission
 *    correction assumes a 1 ms interval).
 * 2. Closed model, 100 connections for 10 s, against a fast server, and wrk
 *    on the same server: p50 within ±15%.
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

function wrkP50(origin: string): Promise<number | undefined> {
  return new Promise((resolve) =>
    execFile(
      "wrk",
      ["-t2", `-c${BENCH.connections}`, `-d${BENCH.closedSec}s`, "--latency", `${origin}/`],
      (error, stdout) => {
        if (error) return resolve(undefined);
        const match = /^\s+50%\s+([\d.]+)(us|ms|s)$/m.exec(stdout);
        if (!match) return resolve(undefined);
        const unit = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
        resolve(Number(match[1]) * unit);
      },
    ),
  );
}

async function closedModelAgainstWrk(): Promise<string[]> {
  const server = await startBenchServer(0);
  try {
    const tally = new Tally(["identify"], performance.now());
    await runClosedModel({
      traffic: benchTraffic(server.origin),
      connections: BENCH.connections,
      durationSec: BENCH.closedSec,
      tally,
      maxRequests: 100_000_000,
    });
    const e = tally.figures().endpoints[0];
    tally.destroy();
    const wrk = await wrkP50(server.origin);
    const lines = [
      `closed model, ${BENCH.connections} connections for ${BENCH.closedSec} s against a fast server, beside wrk (target: p50 within ±15%):`,
      `  harness   ${e?.requests} requests · ${((e?.requests ?? 0) / BENCH.closedSec).toFixed(0)} req/s · p50 ${e?.p50Ms.toFixed(2)} ms`,
    ];
    if (wrk === undefined) {
      lines.push(
        "  wrk       not installed: apt-get install wrk (Debian), then run pnpm bench:accuracy again.",
      );
    } else {
      const diff = ((e?.p50Ms ?? 0) - wrk) / wrk;
      lines.push(
        `  wrk       p50 ${wrk.toFixed(2)} ms · harness − wrk: ${(diff * 100).toFixed(1)}% (${Math.abs(diff) <= 0.15 ? "within" : "OUTSIDE"} ±15%)`,
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
    "Checks the Node engine's latency figures against a known server delay (open model) and against wrk (closed model). Prints figures; asserts nothing.",
  options: {},
  notes: ["Needs wrk for part 2 (Debian: apt-get install wrk)."],
};

benchEntry(COMMAND, async () => {
  const lines = [...(await openModelAgainstDelay()), "", ...(await closedModelAgainstWrk())];
  process.stdout.write(`${lines.join("\n")}\n`);
  return exitCodeFor("pass");
});
