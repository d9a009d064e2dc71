import { writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { inTempDir } from "../testkit/tempDir.ts";
import { type K6SummaryData, k6RunMeasurement } from "./engines/k6/k6RunMeasurement.ts";
import { nodeEngine } from "./engines/node/nodeEngine.ts";
import type { EndpointTraffic } from "./engines/node/traffic.ts";
import type { EngineMeasurement, ScenarioEngine } from "./engines/scenarioEngine.ts";
import { readK6Raw } from "./k6format/k6Raw.ts";
import { runScenario } from "./runScenario.ts";
import type { LoadTarget } from "./scenarios/loadSection.ts";
import { SCENARIOS, type ScenarioDefinition } from "./scenarios/scenarios.ts";

/*
 * One scenario definition through the one runner, on three engines: a
 * stub, the Node engine against a loopback server, and k6 through its
 * recorded raw samples and summary. The runner owns the judging, so all three get the same
 * thresholds list and, on the same evidence, the same judgement.
 */

let url = "";
/** Scrapes of the server's /metrics (the pool sampler's reads). */
let scrapes = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    if (request.url === "/broken") return response.writeHead(500).end("{}");
    if (request.url === "/metrics") {
      scrapes++;
      return response.writeHead(200).end("db_pool_total_connections 1\n");
    }
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
beforeAll(async () => {
  url = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

/** The plan's identify scenario, short and open: 100 requests over a second. */
const scenario: ScenarioDefinition = {
  ...SCENARIOS.identify,
  model: { kind: "open", ratePerSec: 100, durationSec: 1, maxInFlight: 50 },
};

/** A target with nothing to sample: the pool thresholds have no evidence on every engine alike. */
const target = {
  name: "seam",
  services: {},
  load: { monitoring: { metrics: {} } },
} as unknown as LoadTarget;

const recorded: K6SummaryData = {
  state: { testRunDurationMs: 1_000 },
  metrics: {
    http_reqs: { type: "counter", values: { count: 101, rate: 101 } },
    "http_reqs{scenario:identify,endpoint:identify}": {
      type: "counter",
      values: { count: 100, rate: 100 },
    },
    "http_req_failed{scenario:identify,endpoint:identify}": {
      type: "rate",
      values: { rate: 0, passes: 0, fails: 100 },
    },
    "http_req_failed{scenario:identify}": {
      type: "rate",
      values: { rate: 0, passes: 0, fails: 100 },
    },
    "http_5xx{scenario:identify,endpoint:identify}": { type: "rate", values: { rate: 0 } },
    "http_5xx{scenario:identify}": { type: "rate", values: { rate: 0 } },
    "http_errors{scenario:identify,endpoint:identify}": { type: "rate", values: { rate: 0 } },
    "http_errors{scenario:identify}": { type: "rate", values: { rate: 0 } },
    "http_timeouts{scenario:identify,endpoint:identify}": { type: "rate", values: { rate: 0 } },
    "http_req_duration{scenario:identify,endpoint:identify}": {
      type: "trend",
      values: { avg: 1.2, min: 0.4, med: 1, max: 6, "p(90)": 2, "p(95)": 2.5, "p(99)": 5 },
    },
  },
};

/**
 * k6's raw output (`--out json`) of the recorded summary's run: 101 answered
 * identify requests, 10 ms apart, each an iteration, as k6 writes them (k6
 * starts at both ends of the second: 101 for 100/s over 1 s).
 */
async function recordedRaw(dir: string): Promise<string> {
  const tags = {
    scenario: "identify",
    endpoint: "identify",
    status: "200",
    expected_response: "true",
  };
  const lines: string[] = [];
  for (let i = 0; i <= 100; i++) {
    const time = new Date(Date.UTC(2026, 11, 7, 12, 0, 0, i * 10)).toISOString();
    const point = (metric: string, value: number, t: Record<string, string>) =>
      JSON.stringify({ type: "Point", metric, data: { time, value, tags: t } });
    lines.push(point("http_reqs", 1, tags), point("http_req_duration", i === 99 ? 6 : 1, tags));
    lines.push(point("iterations", 1, { scenario: "identify" }));
  }
  const file = join(dir, "k6-raw-identify.json.gz");
  await writeFile(file, gzipSync(`${lines.join("\n")}\n`));
  return file;
}

const stub = (measurement: EngineMeasurement): ScenarioEngine => ({
  run: async () => measurement,
});

const judgement = async (engine: ScenarioEngine) => {
  const agent = new Agent();
  try {
    const run = await runScenario(engine, { scenario, target });
    return {
      run,
      verdicts: run.thresholds.map((t) => [t.name, t.metric, t.condition, t.status]),
    };
  } finally {
    await agent.close();
  }
};

describe("one runner for every engine", () => {
  it("a stub, the Node engine and a recorded k6 summary get the same thresholds and judgement", async () => {
    const traffic: EndpointTraffic = {
      endpoint: "identify",
      origin: url,
      next: () => ({
        method: "POST",
        path: "/identify",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    };
    const node = await judgement(nodeEngine({ identify: traffic, webhook: traffic }, {}));
    const k6 = await inTempDir(async (dir) =>
      judgement(
        stub(
          k6RunMeasurement(
            await readK6Raw(await recordedRaw(dir), [scenario], "k6 v1.3.0"),
            recorded,
            scenario,
            { version: "k6 v1.3.0", generator: { generatorBound: false } },
            { aborted: false },
          ),
        ),
      ),
    );
    const fromStub = await judgement(
      stub({
        engine: { name: "node", version: "stub" },
        endpoints: [
          {
            endpoint: "identify",
            requests: 100,
            p50Ms: 1,
            p90Ms: 2,
            p95Ms: 2.5,
            p99Ms: 5,
            maxMs: 6,
            meanMs: 1.2,
            status2xx: 100,
            status4xx: 0,
            status5xx: 0,
            errors: 0,
            timeouts: 0,
            unexpected: 0,
          },
        ],
        dropped: 0,
        series: [],
        generator: { eventLoopLagP99Ms: 0, eventLoopLagMaxMs: 0, cpuPct: 1, generatorBound: false },
        observe: (spec) =>
          spec.metric === "http_req_duration" ? 2.5 : spec.metric === "dropped_iterations" ? 0 : 0,
      }),
    );
    expect(node.verdicts.map((v) => v[0])).toEqual(scenario.thresholds.map((t) => t.name));
    expect(k6.verdicts).toEqual(node.verdicts);
    expect(fromStub.verdicts).toEqual(node.verdicts);
    // The judgement itself: latency and errors pass; the pools, unseen, are not judged (never a pass).
    const status = Object.fromEntries(node.verdicts.map((v) => [v[0], v[3]]));
    expect(status["identify identify p95"]).toBe("passed");
    expect(status["identify failed requests"]).toBe("passed");
    expect(
      node.run.thresholds
        .filter((t) => t.metric.startsWith("db_pool_exhausted"))
        .map((t) => t.status),
    ).toEqual(["error", "error"]);
    // The result is built once, by the runner: requests per second from the engine's counts.
    expect(node.run.result.engine.name).toBe("node");
    // k6's figures in the Node engine's fields: the histogram, a row a second, interrupted;
    // requests per second over k6's own test run (1 s), not the process's life.
    expect(k6.run.result.endpoints[0]?.latency).toBeDefined();
    expect(k6.run.result.series.length).toBeGreaterThan(0);
    expect(k6.run.result.interrupted).toBe(0);
    expect(k6.run.result.endpoints[0]?.requestsPerSec).toBe(101);
    expect(node.run.result.endpoints[0]?.requests).toBeGreaterThanOrEqual(95);
  }, 30_000);

  it("an engine that throws still has the pool sampler stopped, and the error passes through", async () => {
    const failing: ScenarioEngine = {
      run: async () => {
        throw new Error("engine broke");
      },
    };
    // A target whose pool is sampled from this server's /metrics: a sampler left running keeps scraping.
    const sampled = {
      name: "seam",
      services: { pasukuru: { url, healthPath: "/health" } },
      load: { monitoring: { metrics: { pasukuru: { path: "/metrics" } } } },
    } as unknown as LoadTarget;
    const agent = new Agent();
    try {
      await expect(runScenario(failing, { scenario, target: sampled })).rejects.toThrow(
        "engine broke",
      );
      const atThrow = scrapes;
      expect(atThrow).toBeGreaterThan(0);
      // Five sampling intervals (200 ms each) with no new scrape: the sampler stopped.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(scrapes).toBe(atThrow);
    } finally {
      await agent.close();
    }
  });

  it("a rate tagged with an endpoint is judged on that endpoint alone, as k6 reads its submetric", async () => {
    const to = (endpoint: string, path: string): EndpointTraffic => ({
      endpoint,
      origin: url,
      next: () => ({ method: "GET", path, headers: {} }),
    });
    const twoEndpoints: ScenarioDefinition = {
      name: "mixed",
      description: "one good endpoint, one broken",
      model: { kind: "open", ratePerSec: 40, durationSec: 1, maxInFlight: 20 },
      endpoints: ["good", "bad"],
      thresholds: ["good", "bad"].map((endpoint) => ({
        name: `${endpoint} 5xx`,
        metric: "http_5xx",
        tags: { scenario: "mixed", endpoint },
        condition: "rate==0",
        unit: "ratio" as const,
        k6: true,
        hint: "",
      })),
    };
    const agent = new Agent();
    try {
      const run = await runScenario(
        nodeEngine({ good: to("good", "/ok"), bad: to("bad", "/broken") }, {}),
        { scenario: twoEndpoints, target },
      );
      expect(run.thresholds.map((t) => [t.name, t.observed, t.status])).toEqual([
        ["good 5xx", 0, "passed"],
        ["bad 5xx", 1, "failed"],
      ]);
    } finally {
      await agent.close();
    }
  });
});
