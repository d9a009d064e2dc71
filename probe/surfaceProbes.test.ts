import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { retryAfterSeconds } from "./rateLimitHeaders.ts";
import type { SurfaceContext } from "./surfaceContext.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

describe("retryAfterSeconds (RFC 9110: delta-seconds or an HTTP date)", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  it.each([
    ["2", 2],
    [" 120 ", 120],
    ["0", 0],
    ["Tue, 01 Dec 2026 12:00:30 GMT", 30],
    ["Tue, 01 Dec 2026 11:59:00 GMT", 0],
  ] as const)("%j is %d s", (value, seconds) => {
    expect(retryAfterSeconds(value, now)).toBe(seconds);
  });

  it.each([undefined, "", "soon", "-1", "1.5", "2026-12-01T12:00:30Z", "30s"])(
    "%j is not a Retry-After",
    (value) => {
      expect(retryAfterSeconds(value, now)).toBeUndefined();
    },
  );
});

describe("a surface probe with nothing to look at has no evidence", () => {
  const ctx = (http: ProbeHttp, memo = new Map<string, Promise<unknown>>()): SurfaceContext => ({
    http,
    urlOf: () => "http://127.0.0.1:9/never",
    agent: new Agent(),
    requestTimeoutMs: 1_000,
    secrets: [],
    memo,
  });

  it("C1 with no allowed origin (past the section check) is not judged, never passed", async () => {
    const cors = { service: "a", method: "POST" as const, path: "/x", allowedOrigins: [] };
    const verdict = await SURFACE_PROBES.C1?.run.call(SURFACE_PROBES.C1, ctx({ cors }));
    expect(verdict?.status).toBe("skipped");
  });

  it("R2 on a burst that got no answer is not judged, never passed", async () => {
    const rateLimit = {
      service: "a",
      method: "POST" as const,
      path: "/x",
      limit: 1,
      windowMs: 1,
      vendorHeaders: { remaining: "x-r" },
    };
    const memo = new Map<string, Promise<unknown>>([
      [
        "burst",
        Promise.resolve({
          answers: [],
          limited: undefined,
          elapsedMs: 0,
          stoppedBy: "interrupted",
        }),
      ],
    ]);
    const verdict = await SURFACE_PROBES.R2?.run.call(SURFACE_PROBES.R2, ctx({ rateLimit }, memo));
    expect(verdict?.status).toBe("skipped");
  });
});
