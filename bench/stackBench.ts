import { request } from "undici";
import {
  machineCpu,
  type ReadyLine,
  SIGNATURE_HEADER,
  signatureHeader,
  startStackProcess,
  TEST_HELPER_HEADER,
} from "../fixtures/referenceStack.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";

import type { EndpointTraffic } from "../load/engines/node/traffic.ts";
import { type BenchCommand, benchEntry, oneOf, wholeNumber } from "./benchCommand.ts";
import { closedLoad, type LoadFigures } from "./closedLoadFigures.ts";

/** Figures are printed, never asserted. Targets are half the release thresholds. */
const BENCH_DEFAULTS = { durationSec: 20, warmupSec: 3, users: 1000, scenario: "all" };

interface Scenario {
  name: "identify" | "webhook";
  connections: number;
  targetP95Ms: number;
  load(ready: ReadyLine, tokens: string[]): EndpointTraffic;
}

const SCENARIOS: Scenario[] = [
  {
    name: "identify",
    connections: 1000,
    targetP95Ms: 250,
    load(ready, tokens) {
      // Bodies built once: the generator shares the machine's cores with the stack.
      const bodies = tokens.map((idToken) => JSON.stringify({ idToken }));
      let n = 0;
      return {
        endpoint: "identify",
        origin: ready.urls.pasukuru,
        next: () => ({
          method: "POST",
          path: "/integration/line/identify",
          headers: { "content-type": "application/json" },
          body: bodies[n++ % bodies.length] ?? "",
        }),
      };
    },
  },
  {
    name: "webhook",
    connections: 100,
    targetP95Ms: 100,
    load(ready) {
      const tag = Date.now().toString(36);
      let n = 0;
      return {
        endpoint: "webhook",
        origin: ready.urls.curva,
        next: () => {
          const i = n++;
          const now = new Date().toISOString();
          const body = JSON.stringify({
            id: `evt_bench_${tag}_${i}`,
            type: "order.paid",
            createdAt: now,
            data: {
              orderId: `ord_bench_${tag}_${i}`,
              memberId: null,
              lineUserId: `U${"c".repeat(32)}`,
              amountYen: 100,
              paidAt: now,
              runId: "bench",
            },
          });
          const signature = signatureHeader(
            ready.secrets.webhookSigningSecret,
            body,
            Math.floor(Date.now() / 1000),
          );
          return {
            method: "POST",
            path: "/webhooks/pasukuru",
            headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature },
            body,
          };
        },
      };
    },
  },
];

const COMMAND: BenchCommand<"scenario" | "duration" | "warmup" | "users"> = {
  name: "bench:stack",
  about: `Starts the reference stack in its own process (as \`pnpm stack\` runs it), then
drives each scenario with a closed-model load from this process and prints
p50/p95/p99, requests/s, errors, the stack's peak RSS and CPU, and the
machine's CPU. Each scenario's connections first run a warm-up that is not in
the table (its figures are printed above it): a cold stack (JIT, pool
connections, JWKS fetch, prepared statements) answers the 1000 simultaneous
first requests in about a second, and that is start-up, not steady state.`,
  options: {
    scenario: {
      takes: `all|${SCENARIOS.map((s) => s.name).join("|")}`,
      default: BENCH_DEFAULTS.scenario,
      description: "The scenario to drive, or all of them in turn.",
      check: oneOf(["all", ...SCENARIOS.map((s) => s.name)]),
    },
    duration: {
      takes: "<s>",
      default: String(BENCH_DEFAULTS.durationSec),
      description: "Measured seconds a scenario.",
      check: wholeNumber(1, 120, "seconds"),
    },
    warmup: {
      takes: "<s>",
      default: String(BENCH_DEFAULTS.warmupSec),
      description: "Warm-up seconds before each, not in the table.",
      check: wholeNumber(0, 60, "seconds"),
    },
    users: {
      takes: "<n>",
      default: String(BENCH_DEFAULTS.users),
      description: "ID tokens minted for identify (distinct LINE users).",
      check: wholeNumber(1, 10_000),
    },
  },
  notes: [
    `Scenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(9)} ${s.connections} connections, target p95 < ${s.targetP95Ms} ms`).join("\n")}`,
  ],
};

async function mintTokens(ready: ReadyLine, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
        const response = await request(`${ready.urls.line}/test/id-tokens`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [TEST_HELPER_HEADER]: ready.secrets.testHelperSecret,
          },
          body: JSON.stringify({ name: `Bench User ${i + j}` }),
        });
        return ((await response.body.json()) as { idToken: string }).idToken;
      }),
    );
    tokens.push(...batch);
  }
  return tokens;
}

interface Measured {
  scenario: Scenario;
  figures: LoadFigures;
  stackCpuPct: number;
  machinePct: number;
  peakRssMb: number;
}

function formatTable(rows: Measured[], durationSec: number, warmupSec: number): string {
  const header = [
    "scenario".padEnd(16),
    "requests".padStart(8),
    "req/s".padStart(7),
    "p50 ms".padStart(8),
    "p95 ms".padStart(8),
    "p99 ms".padStart(8),
    "max ms".padStart(7),
    "errors".padStart(6),
    "RSS MB".padStart(7),
    "stack".padStart(6),
    "machine".padStart(8),
    "  target",
  ].join(" ");
  const lines = rows.map(({ scenario, figures: f, stackCpuPct, machinePct, peakRssMb }) => {
    const errors = f.non2xx + f.errors;
    const met = f.p95Ms < scenario.targetP95Ms && errors === 0;
    return [
      `${scenario.name} c=${scenario.connections}`.padEnd(16),
      String(f.requests).padStart(8),
      f.requestsPerSec.toFixed(0).padStart(7),
      f.p50Ms.toFixed(1).padStart(8),
      f.p95Ms.toFixed(1).padStart(8),
      f.p99Ms.toFixed(1).padStart(8),
      f.maxMs.toFixed(0).padStart(7),
      String(errors).padStart(6),
      peakRssMb.toFixed(0).padStart(7),
      `${stackCpuPct.toFixed(0)}%`.padStart(6),
      `${machinePct.toFixed(0)}%`.padStart(8),
      `  p95 < ${scenario.targetP95Ms} ms: ${met ? "met" : "MISSED"}`,
    ].join(" ");
  });
  return [
    "",
    `Reference stack bench: ${durationSec} s a scenario after a ${warmupSec} s warm-up, closed model, generator in its own process`,
    header,
    ...lines,
    "",
    "stack: the stack process's CPU as a share of one core (100% = its event loop is saturated).",
    "machine: all cores busy (generator, stack, PostgreSQL, Redis and anything else running).",
    "errors: non-2xx answers, socket errors and requests unanswered after 10 s; any error misses the target.",
    "",
  ].join("\n");
}

benchEntry(COMMAND, async (values) => {
  const args = {
    durationSec: Number(values.duration),
    warmupSec: Number(values.warmup),
    users: Number(values.users),
    selected: SCENARIOS.filter((s) => values.scenario === "all" || s.name === values.scenario),
  };
  const stack = await startStackProcess({ ...process.env, STACK_FAULTS: "" });
  try {
    process.stdout.write(`Stack pid ${stack.ready.pid}; minting ${args.users} ID tokens…\n`);
    const tokens = await mintTokens(stack.ready, args.users);
    const results: Measured[] = [];
    for (const scenario of args.selected) {
      process.stdout.write(
        `${scenario.name}: ${scenario.connections} connections, ${args.warmupSec} s warm-up then ${args.durationSec} s…\n`,
      );
      let peakRss = 0;
      const sampler = setInterval(() => {
        stack.sample().then(
          (s) => {
            peakRss = Math.max(peakRss, s.rssBytes);
          },
          () => {},
        );
      }, 250);
      // CPU is read over the whole run, warm-up included: the same load throughout.
      const before = await stack.sample();
      const machineBefore = await machineCpu();
      const { warmup, measured: figures } = await closedLoad(
        scenario.load(stack.ready, tokens),
        scenario.connections,
        args.durationSec,
        args.warmupSec,
      );
      if (warmup) {
        // Not in the table, but shown: a cold start that drops requests is worth knowing about.
        process.stdout.write(
          `  warm-up: ${warmup.requests} requests, p99 ${warmup.p99Ms.toFixed(0)} ms, max ${warmup.maxMs.toFixed(0)} ms, ${warmup.non2xx + warmup.errors} errors\n`,
        );
      }
      const after = await stack.sample();
      const machineAfter = await machineCpu();
      clearInterval(sampler);
      results.push({
        scenario,
        figures,
        stackCpuPct:
          ((after.cpuSeconds - before.cpuSeconds) / (args.warmupSec + args.durationSec)) * 100,
        machinePct:
          ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
          100,
        peakRssMb: Math.max(peakRss, after.rssBytes) / 1024 / 1024,
      });
    }
    process.stdout.write(formatTable(results, args.durationSec, args.warmupSec));
  } finally {
    await stack.stop();
  }
  return exitCodeFor("pass");
});
