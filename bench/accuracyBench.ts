import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
 * 2. Closed model, 100 and 1,000 connections for 10 s, against a fast
 *    server, and wrk sending the same POST on the same server: each one's
 *    CPU per 1000 requests (the harness's process; wrk's from bash's
 *    `time`; goal ≤ 1.5× wrk's) and p50 (goal within ±15%).
 * 3. Open model at 2,000 and 5,000 req/s for 10 s against a 10 ms server:
 *    p50 and p95 within ±2 ms of the true delay, how late starts went out
 *    (goal p99 < 2 ms), and CPU per request against the closed model's
 *    carrying the same rate on the same server (goal ≤ 1.5×).
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

/**
 * wrk on the same server, sending what the harness sends (the same POST,
 * through a Lua script): its p50, its request count and the CPU seconds it
 * used (user + system, from bash's `time`).
 */
function wrkRun(
  origin: string,
  connections: number,
): Promise<{ p50Ms: number; requests: number; cpuSec: number } | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "wrk-"));
  const script = join(dir, "post.lua");
  writeFileSync(
    script,
    'wrk.method = "POST"\nwrk.body = "{}"\nwrk.headers["content-type"] = "application/json"\n',
  );
  return new Promise((resolve) =>
    execFile(
      "bash",
      [
        "-c",
        `TIMEFORMAT='%U %S'; time wrk -t1 -c${connections} -d${BENCH.closedSec}s --latency -s ${script} ${origin}/`,
      ],
      (error, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
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
const msPerThousand = (cpuSec: number, requests: number) =>
  requests === 0 ? Number.NaN : (cpuSec * 1000 * 1000) / requests;
const perThousand = (cpuSec: number, requests: number) =>
  requests === 0 ? "n/a" : `${msPerThousand(cpuSec, requests).toFixed(1)} ms CPU per 1000 requests`;

const cpuSecSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/**
 * Closed model against a fast server, then wrk on the same server with the
 * same connections (goals: CPU per request ≤ 1.5× wrk's, p50 within ±15%).
 */
async function closedModelAgainstWrk(connections: number): Promise<string[]> {
  const server = await startBenchServer(0);
  try {
    const tally = new Tally(["identify"], performance.now());
    const cpu = process.cpuUsage();
    await runClosedModel({
      traffic: benchTraffic(server.origin),
      connections,
      durationSec: BENCH.closedSec,
      tally,
      maxRequests: 100_000_000,
    });
    const cpuSec = cpuSecSince(cpu);
    const e = tally.figures().endpoints[0];
    tally.destroy();
    const requests = e?.requests ?? 0;
    const wrkResult = await wrkRun(server.origin, connections);
    const lines = [
      `closed model, ${connections} connections for ${BENCH.closedSec} s against a fast server, beside wrk (targets: CPU per request ≤ 1.5× wrk's, p50 within ±15%):`,
      `  harness   ${requests} requests · ${(requests / BENCH.closedSec).toFixed(0)} req/s · p50 ${e?.p50Ms.toFixed(2)} ms · ${perThousand(cpuSec, requests)}`,
    ];
    if (wrkResult === undefined) {
      lines.push(
        "  wrk       not installed: apt-get install wrk (Debian), then run pnpm bench:accuracy again.",
      );
    } else {
      const diff = ((e?.p50Ms ?? 0) - wrkResult.p50Ms) / wrkResult.p50Ms;
      const ratio =
        msPerThousand(cpuSec, requests) / msPerThousand(wrkResult.cpuSec, wrkResult.requests);
      lines.push(
        `  wrk       ${wrkResult.requests} requests · ${(wrkResult.requests / BENCH.closedSec).toFixed(0)} req/s · p50 ${wrkResult.p50Ms.toFixed(2)} ms · ${perThousand(wrkResult.cpuSec, wrkResult.requests)}`,
        `  harness ÷ wrk: CPU per request ${ratio.toFixed(2)}× (${ratio <= 1.5 ? "within" : "OUTSIDE"} 1.5×) · p50 ${(diff * 100).toFixed(1)}% (${Math.abs(diff) <= 0.15 ? "within" : "OUTSIDE"} ±15%)`,
      );
    }
    return lines;
  } finally {
    server.stop();
  }
}

/**
 * The closed model against the same server, with as many connections as
 * keep `rate` requests a second in flight there: the same load arriving the
 * other way, so its CPU per request is the open model's yardstick (a
 * generator's cost per request at a rate is mostly its wake-ups, one per
 * answer or two, where a saturated closed model reads many answers a wake).
 */
async function closedModelAtRate(origin: string, rate: number, delayMs: number, seconds: number) {
  const tally = new Tally(["identify"], performance.now());
  const cpu = process.cpuUsage();
  await runClosedModel({
    traffic: benchTraffic(origin),
    connections: Math.max(1, Math.round((rate * (delayMs + 1)) / 1000)),
    durationSec: seconds,
    tally,
    maxRequests: 100_000_000,
  });
  const cpuSec = cpuSecSince(cpu);
  const requests = tally.figures().endpoints[0]?.requests ?? 0;
  tally.destroy();
  return { rps: requests / seconds, cpuPerThousand: msPerThousand(cpuSec, requests) };
}

async function openModelAtHighRates(): Promise<string[]> {
  const delayMs = 10;
  const seconds = 10;
  const server = await startBenchServer(delayMs);
  const lines = [
    `open model at high rates, ${seconds} s each, server delay ${delayMs} ms (targets: p50 and p95 within ±2 ms of ${delayMs} ms; starts late p99 < 2 ms; CPU per request ≤ 1.5× the closed model's carrying the same rate on the same server):`,
  ];
  try {
    for (const rate of [2_000, 5_000]) {
      const tally = new Tally(["identify"], performance.now());
      const cpu = process.cpuUsage();
      const { lateness } = await runOpenModel({
        traffic: [benchTraffic(server.origin)],
        schedule: constantRate(rate, seconds),
        maxInFlight: 1_000,
        tally,
      });
      const cpuSec = cpuSecSince(cpu);
      const f = tally.figures();
      const e = f.endpoints[0];
      tally.destroy();
      const closed = await closedModelAtRate(server.origin, rate, delayMs, seconds);
      const ratio = msPerThousand(cpuSec, e?.requests ?? 0) / closed.cpuPerThousand;
      lines.push(
        `  ${rate} req/s   ${e?.requests} answered, ${f.dropped} dropped · p50 ${e?.p50Ms.toFixed(2)} ms (${verdict(e?.p50Ms ?? 0, delayMs, 2)}) · p95 ${e?.p95Ms.toFixed(2)} ms (${verdict(e?.p95Ms ?? 0, delayMs, 2)}) · starts late p50 ${lateness.p50Ms.toFixed(2)} ms, p99 ${lateness.p99Ms.toFixed(2)} ms (${lateness.p99Ms < 2 ? "within" : "OUTSIDE"}), max ${lateness.maxMs.toFixed(1)} ms`,
        `              ${perThousand(cpuSec, e?.requests ?? 0)}; the closed model at ${closed.rps.toFixed(0)} req/s on the same server ${closed.cpuPerThousand.toFixed(1)} ms: ${ratio.toFixed(2)}× (${ratio <= 1.5 ? "within" : "OUTSIDE"} 1.5×)`,
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
    ...(await closedModelAgainstWrk(100)),
    "",
    ...(await closedModelAgainstWrk(1_000)),
    "",
    ...(await openModelAtHighRates()),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return exitCodeFor("pass");
});
