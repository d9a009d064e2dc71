import autocannon from "autocannon";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { runClosedModel } from "../load/engines/node/closedModel.ts";
import { watchGenerator } from "../load/engines/node/generatorHealth.ts";
import { runOpenModel } from "../load/engines/node/openModel.ts";
import { Tally } from "../load/engines/node/tally.ts";
import { constantRate } from "../load/scenarios/stages.ts";
import { type BenchCommand, benchEntry, wholeNumber } from "./benchCommand.ts";
import { benchTraffic, startBenchServer } from "./benchServer.ts";

/**
 * The Node engine's own cost. Figures printed, never asserted.
 * 1. req/s of the engine's closed model against raw autocannon (no
 *    recording), same trivial server, same connections (goal: ratio ≥ 0.9).
 * 2. Peak RSS of the engine driving 1000 connections (goal ≤ 250 MB).
 * 3. RSS at the start and end of a sustained run, 10 req/s (default 10 min:
 *    --sustained 600; goal: flat).
 */
const COMMAND: BenchCommand<"seconds" | "sustained"> = {
  name: "bench:engine",
  about:
    "The Node engine's req/s against raw autocannon, its peak RSS at 1000 connections, and its RSS over a sustained run. Prints figures; asserts nothing.",
  options: {
    seconds: {
      takes: "<s>",
      default: "10",
      description: "Length of each closed-model run (parts 1 and 2).",
      check: wholeNumber(1, 600, "seconds"),
    },
    sustained: {
      takes: "<s>",
      default: "600",
      description: "Length of the sustained 10 req/s run (part 3).",
      check: wholeNumber(1, 7200, "seconds"),
    },
  },
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function engineClosed(
  origin: string,
  connections: number,
  seconds: number,
): Promise<{ rps: number; peakRss: number; health: string }> {
  const tally = new Tally(["identify"], performance.now());
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  const watch = watchGenerator();
  await runClosedModel({
    traffic: benchTraffic(origin),
    connections,
    durationSec: seconds,
    tally,
    maxRequests: 1_000_000_000,
  });
  const h = watch.stop();
  clearInterval(sampler);
  const e = tally.figures().endpoints[0];
  tally.destroy();
  return {
    rps: ((e?.requests ?? 0) + (e?.errors ?? 0)) / seconds,
    peakRss: Math.max(peakRss, process.memoryUsage().rss),
    health: `lag p99 ${h.eventLoopLagP99Ms?.toFixed(0) ?? "?"} ms, CPU ${h.cpuPct?.toFixed(0) ?? "?"}%`,
  };
}

function rawAutocannon(origin: string, connections: number, seconds: number): Promise<number> {
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: origin,
        connections,
        duration: seconds,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      },
      (error, result) => (error ? reject(error) : resolve(result.requests.total / seconds)),
    ),
  );
}

benchEntry(COMMAND, async (values) => {
  const seconds = Number(values.seconds);
  const sustained = Number(values.sustained);
  const server = await startBenchServer(0);
  const lines: string[] = [];
  try {
    for (const connections of [100]) {
      const raw = await rawAutocannon(server.origin, connections, seconds);
      const engine = await engineClosed(server.origin, connections, seconds);
      lines.push(
        `1. closed model vs raw autocannon, ${connections} connections, ${seconds} s each, trivial server:`,
        `   raw autocannon ${raw.toFixed(0)} req/s · engine ${engine.rps.toFixed(0)} req/s (${engine.health}) · ratio ${(engine.rps / raw).toFixed(2)} (goal ≥ 0.9)`,
      );
    }
    const big = await engineClosed(server.origin, 1000, seconds);
    lines.push(
      `2. engine at 1000 connections, ${seconds} s: ${big.rps.toFixed(0)} req/s · peak RSS ${mb(big.peakRss)} (goal ≤ 250 MB)`,
    );
  } finally {
    server.stop();
  }
  process.stdout.write(`${lines.join("\n")}\n`);

  const slow = await startBenchServer(5);
  try {
    const tally = new Tally(["identify", "webhook"], performance.now());
    const rss: string[] = [];
    const start = process.memoryUsage().rss;
    const every = setInterval(() => rss.push(mb(process.memoryUsage().rss)), 60_000);
    const t = benchTraffic(slow.origin);
    await runOpenModel({
      traffic: [t, { ...t, endpoint: "webhook" }],
      schedule: constantRate(10, sustained),
      maxInFlight: 100,
      tally,
    });
    clearInterval(every);
    const f = tally.figures();
    tally.destroy();
    process.stdout.write(
      `3. sustained, 10 req/s for ${sustained} s: ${f.endpoints.reduce((s, e) => s + e.requests, 0)} requests, ${f.rows.length} per-second rows · RSS at start ${mb(start)}, each minute [${rss.join(", ")}], at end ${mb(process.memoryUsage().rss)} (goal: flat)\n`,
    );
  } finally {
    slow.stop();
  }
  return exitCodeFor("pass");
});
