import { createServer } from "node:http";
import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { remainingProblems, resetMoment } from "./rateLimitHeaders.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * R2 knows windows: remaining may rise where the window reset (a reset
 * header's moment passed, or back to a full window once per window), and
 * nowhere else. Both wrong directions, on synthetic readings and on real
 * limiters over loopback.
 */

const names = { remaining: "x-rate-limit-remaining" };
const at = (ms: number, remaining: number, extra: Record<string, string> = {}) => ({
  at: ms,
  headers: { "x-rate-limit-remaining": String(remaining), ...extra },
});

describe("remainingProblems", () => {
  const spec = { limit: 5, windowMs: 1_000 };

  it("a fixed window that resets mid-burst: the rise back to a full window restarts the reading", () => {
    const r = remainingProblems([at(0, 2), at(10, 1), at(20, 4), at(30, 3)], names, spec);
    expect(r).toEqual({ problems: [], resets: 1, lastRemaining: 3 });
  });

  it("a rise that is not back to a full window is a problem", () => {
    const r = remainingProblems([at(0, 4), at(10, 2), at(20, 3)], names, spec);
    expect(r.problems).toEqual([
      "request 3: x-rate-limit-remaining rose from 2 to 3 at 20 ms without a reset (not back to a full window)",
    ]);
  });

  it("two full resets inside one window are a problem (a window resets once)", () => {
    const r = remainingProblems(
      [at(0, 4), at(10, 3), at(20, 4), at(30, 3), at(40, 4)],
      names,
      spec,
    );
    expect(r.resets).toBe(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^request 5: .*a second reset 20 ms after the last/);
  });

  it("with a reset header: a rise after its moment is a reset, a rise before it is a problem", () => {
    const withReset = { ...names, reset: "x-rate-limit-reset" };
    const ok = remainingProblems(
      [at(0, 2, { "x-rate-limit-reset": "2" }), at(2_100, 3, { "x-rate-limit-reset": "2" })],
      withReset,
      { limit: 10, windowMs: 2_000 },
    );
    expect(ok.problems).toEqual([]);
    const early = remainingProblems(
      [at(0, 2, { "x-rate-limit-reset": "5" }), at(100, 9, { "x-rate-limit-reset": "5" })],
      withReset,
      { limit: 10, windowMs: 5_000 },
    );
    expect(early.problems[0]).toMatch(
      /rose from 2 to 9 at 100 ms though x-rate-limit-reset said the window ends at 5000 ms/,
    );
  });

  it("reads a reset as delta-seconds or as epoch seconds", () => {
    const now = Date.parse("2026-12-07T00:00:00Z");
    expect(resetMoment("3", 100, now)).toBe(3_100);
    expect(resetMoment(String(now / 1000 + 4), 100, now)).toBe(4_100);
    expect(resetMoment("soon", 100, now)).toBeUndefined();
  });
});

/**
 * A fixed-window limiter whose current window ends after its first
 * `endsAfter` requests (a window met near its end: deterministic, where a
 * clock would race the test); `lying` makes remaining wobble (2, 1, 2, 1…)
 * with no reset.
 */
function limiter(opts: { limit: number; endsAfter?: number; lying?: boolean }) {
  let used = 0;
  let served = 0;
  return createServer((_req, res) => {
    if (served === opts.endsAfter) used = 0;
    used++;
    served++;
    const remaining = opts.lying ? 1 + (served % 2) : Math.max(0, opts.limit - used);
    res.setHeader("x-rate-limit-remaining", String(remaining));
    res.statusCode = !opts.lying && used > opts.limit ? 429 : 200;
    if (res.statusCode === 429) res.setHeader("retry-after", "1");
    res.end("{}");
  });
}

async function r2Against(server: ReturnType<typeof createServer>, windowMs: number) {
  const url = await listenOnLoopback(server);
  const agent = new Agent();
  try {
    const http: ProbeHttp = {
      rateLimit: {
        service: "api",
        method: "GET",
        path: "/limited",
        limit: 5,
        windowMs,
        vendorHeaders: names,
      },
    };
    const ctx = {
      http,
      urlOf: (_s: string, path: string) => `${url}${path}`,
      agent,
      requestTimeoutMs: 2_000,
      secrets: [],
      memo: new Map<string, Promise<unknown>>(),
    };
    const probe = SURFACE_PROBES.R2;
    if (!probe) throw new Error("R2 is in the catalogue");
    return await probe.run.call(probe, ctx);
  } finally {
    await agent.close();
    await closeServer(server);
  }
}

describe("R2 against real limiters on loopback", () => {
  it("passes a fixed-window limiter whose window ends mid-burst (a slow machine's case)", async () => {
    // The burst meets the window three requests before its end: remaining 4, 3, 2, then 4 again.
    const server = limiter({ limit: 5, endsAfter: 3 });
    const verdict = await r2Against(server, 400);
    expect(verdict.status, verdict.observed).toBe("passed");
    expect(verdict.observed).toMatch(/the window reset 1× during the burst/);
  });

  it("fails a limiter whose remaining rises without a reset", async () => {
    const server = limiter({ limit: 5, lying: true });
    const verdict = await r2Against(server, 2_000);
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toMatch(/rose from 1 to 2 .* without a reset/);
  });
});
