import { createServer, type Server } from "node:http";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../lib/errors.ts";
import { arrivalSchedule, constantRate, stageValueAt } from "../../scenarios/stages.ts";
import { runClosedModel } from "./closedModel.ts";
import { watchGenerator } from "./generatorHealth.ts";
import { nodeEngine } from "./nodeEngine.ts";
import { runOpenModel } from "./openModel.ts";
import { Tally } from "./tally.ts";
import type { EndpointTraffic } from "./traffic.ts";

/** A loopback server that answers `status` after `delayMs`; counts what it received. */
async function delayedServer(
  delayMs: number,
  status = 200,
): Promise<{ origin: string; server: Server; received: () => number }> {
  let received = 0;
  const server = createServer((request, response) => {
    received++;
    request.resume();
    setTimeout(() => response.writeHead(status).end("{}"), delayMs);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { origin: `http://127.0.0.1:${address.port}`, server, received: () => received };
}

function traffic(origin: string): EndpointTraffic {
  return {
    endpoint: "identify",
    origin,
    next: () => ({
      method: "POST",
      path: "/x",
      headers: { "content-type": "application/json" },
      body: "{}",
    }),
  };
}

async function closing(server: Server, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
}

describe("the open model", () => {
  it("starts exactly rate × duration requests on schedule and measures from the intended start", async () => {
    const { origin, server, received } = await delayedServer(100);
    await closing(server, async () => {
      const tally = new Tally(["identify"], performance.now());
      await runOpenModel({
        traffic: [traffic(origin)],
        schedule: constantRate(20, 2),
        maxInFlight: 50,
        tally,
      });
      const figures = tally.figures();
      const identify = figures.endpoints[0];
      expect(received()).toBe(40);
      expect(identify).toMatchObject({ requests: 40, status2xx: 40, errors: 0 });
      // A physical lower bound, not a speed goal: no answer can be faster than the server's delay.
      expect(identify?.p50Ms).toBeGreaterThanOrEqual(100);
      expect(figures.dropped).toBe(0);
      expect(figures.rows.map((r) => r.second)).toEqual([1, 2, 3].slice(0, figures.rows.length));
      expect(figures.rows.reduce((sum, r) => sum + r.requests, 0)).toBe(40);
      tally.destroy();
    });
  });

  it("drops and counts starts that find too many requests open, and stays bounded", async () => {
    const { origin, server, received } = await delayedServer(400);
    await closing(server, async () => {
      const tally = new Tally(["identify"], performance.now());
      await runOpenModel({
        traffic: [traffic(origin)],
        schedule: constantRate(20, 1),
        maxInFlight: 2,
        tally,
      });
      const figures = tally.figures();
      expect(figures.dropped).toBeGreaterThan(0);
      expect(figures.dropped + (figures.endpoints[0]?.requests ?? 0)).toBe(20);
      expect(received()).toBe(20 - figures.dropped);
      tally.destroy();
    });
  });
});

describe("the closed model", () => {
  it("tallies every response by status, and stops at its request bound", async () => {
    const { origin, server } = await delayedServer(5, 503);
    await closing(server, async () => {
      const tally = new Tally(["identify"], performance.now());
      const { ramp } = await runClosedModel({
        traffic: traffic(origin),
        connections: 4,
        durationSec: 30,
        tally,
        maxRequests: 50,
      });
      // Every connection got a first answer, none sooner than the server's 5 ms.
      expect(ramp).toMatchObject({ connections: 4, answered: 4 });
      expect(ramp.firstAnswerMaxMs).toBeGreaterThanOrEqual(ramp.firstAnswerP50Ms);
      expect(ramp.firstAnswerP50Ms).toBeGreaterThanOrEqual(5);
      const identify = tally.figures().endpoints[0];
      // Stopped by the count bound long before 30 s.
      expect(identify?.status5xx).toBe(50);
      tally.destroy();
    });
  });

  it("counts connection errors, and stops at once when aborted", async () => {
    const { origin, server } = await delayedServer(0);
    await new Promise((ok) => server.close(ok));
    const tally = new Tally(["identify"], performance.now());
    const controller = new AbortController();
    const watch = watchGenerator();
    const run = runClosedModel({
      traffic: traffic(origin),
      connections: 2,
      durationSec: 30,
      tally,
      maxRequests: 1_000_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    await run;
    const health = watch.stop();
    expect(tally.figures().endpoints[0]?.errors).toBeGreaterThan(0);
    expect(health.cpuPct).toBeGreaterThan(0);
    tally.destroy();
  });
});

describe("the tally's seconds, per endpoint", () => {
  it("tells a scenario's endpoints apart in each second, counting answers over each one's limit", () => {
    const start = performance.now();
    const tally = new Tally(["pay", "notify"], start, {}, undefined, { pay: 50 });
    tally.record("pay", 10, { kind: "answered", status: 200 });
    tally.record("pay", 80, { kind: "answered", status: 200 });
    tally.record("notify", 80, { kind: "answered", status: 503 });
    tally.record("notify", 1, { kind: "error", timedOut: true });
    const [row] = tally.figures(start + 1_000).rows;
    expect(row?.endpoints).toEqual({
      pay: { requests: 2, status5xx: 0, errors: 0, overLimit: 1 },
      notify: { requests: 1, status5xx: 1, errors: 1, overLimit: 0 },
    });
    tally.destroy();
    // One endpoint: the second's row is that endpoint's; nothing to tell apart.
    const single = new Tally(["pay"], start);
    single.record("pay", 10, { kind: "answered", status: 200 });
    expect(single.figures(start + 1_000).rows[0]?.endpoints).toBeUndefined();
    single.destroy();
  });
});

describe("stages", () => {
  it("ramping-arrival-rate: the per-second series follows the stages (0→40/s over 2 s, then 40/s for 1 s)", async () => {
    const { origin, server, received } = await delayedServer(0);
    await closing(server, async () => {
      const tally = new Tally(["identify"], performance.now());
      const schedule = arrivalSchedule(0, [
        { durationSec: 2, target: 40 },
        { durationSec: 1, target: 40 },
      ]);
      await runOpenModel({ traffic: [traffic(origin)], schedule, maxInFlight: 50, tally });
      const rows = tally.figures().rows.map((r) => r.requests);
      tally.destroy();
      // The area under the rate: 10, 30, then 40 a second; 80 in all, each sent once.
      expect(schedule.total).toBe(80);
      expect(received()).toBe(80);
      const expected = [10, 30, 40];
      for (const [i, n] of expected.entries())
        expect(
          Math.abs((rows[i] ?? 0) - n),
          `second ${i + 1}: ${rows[i]} of ${n}`,
        ).toBeLessThanOrEqual(3);
    });
  });

  it("ramping-vus: users join as the stages say and never exceed the target", async () => {
    let inFlight = 0;
    let peak = 0;
    const peakBySecond: number[] = [];
    const started = performance.now();
    const server = createServer((request, response) => {
      inFlight++;
      const second = Math.floor((performance.now() - started) / 1000);
      peakBySecond[second] = Math.max(peakBySecond[second] ?? 0, inFlight);
      peak = Math.max(peak, inFlight);
      request.resume();
      setTimeout(() => {
        inFlight--;
        response.writeHead(200).end("{}");
      }, 50);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as { port: number };
    await closing(server, async () => {
      const tally = new Tally(["identify"], started);
      const stages = [
        { durationSec: 1, target: 1 },
        { durationSec: 1, target: 4 },
        { durationSec: 1, target: 4 },
      ];
      await runClosedModel({
        traffic: traffic(`http://127.0.0.1:${port}`),
        connections: 4,
        durationSec: 3,
        vusAt: (ms) => Math.round(stageValueAt(1, stages, ms / 1000)),
        tally,
        maxRequests: 10_000,
      });
      const rows = tally.figures().rows.map((r) => r.requests);
      tally.destroy();
      // One user in the first second, then more as the ramp lets them in; never past the target.
      expect(peakBySecond[0]).toBe(1);
      expect(peak).toBe(4);
      expect(rows[0]).toBeLessThan(rows[2] as number);
      // At 4 users on a 50 ms server, about 80 answers a second (a wide margin: the shape, not speed).
      expect(rows[2]).toBeGreaterThan(40);
    });
  });
});

describe("the engine's requests, framed before any is sent", () => {
  const withHeaders = (endpoint: string, headers: Record<string, string>): EndpointTraffic => ({
    endpoint,
    origin: "http://127.0.0.1:9",
    next: () => ({ method: "POST", path: "/x", headers, body: "{}" }),
  });

  it("refuses a header that would break the framing, naming every endpoint's, as a config problem", () => {
    const build = () =>
      nodeEngine(
        {
          identify: withHeaders("identify", { "x-note": "a\r\nx-injected: 1" }),
          webhook: withHeaders("webhook", { "Transfer-Encoding": "chunked" }),
        },
        {},
      );
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      /load endpoint identify: header "x-note".*\n.*load endpoint webhook: header Transfer-Encoding/s,
    );
  });

  it("takes a request that only looks unusual: its own Host, its body's own Content-Length", () => {
    expect(() =>
      nodeEngine(
        { identify: withHeaders("identify", { Host: "shop.test", "Content-Length": "2" }) },
        {},
      ),
    ).not.toThrow();
  });
});
