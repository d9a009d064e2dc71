import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { surfaceContextOn } from "../testkit/surfaceContextOn.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * R4 and R5 against a loopback route whose limiter the test sets up: keyed
 * per identity or shared; and, with its store taken down through a helper,
 * failing closed (503), falling back to a local limit, or failing open.
 * Both wrong directions: a shared or open limiter fails; a healthy one that
 * merely degrades (503s, a local fallback) passes. The store is always
 * restored.
 */

const LIMIT = 3;
let keyed: "identity" | "shared" | "none" = "identity";
let whenDown: "closed" | "fallback" | "open" = "closed";
let storeUp = true;
let restores = 0;
let counts = new Map<string, number>();
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    if (request.url === "/test/redis/down") {
      storeUp = false;
      return response.writeHead(204).end();
    }
    if (request.url === "/test/redis/up") {
      storeUp = true;
      restores++;
      return response.writeHead(204).end();
    }
    if (request.url !== "/api/items") return response.writeHead(404).end();
    const who = String(request.headers.authorization ?? "anonymous");
    if (!storeUp && whenDown === "closed") return response.writeHead(503).end();
    if (!storeUp && whenDown === "open") return response.writeHead(200).end("{}");
    const key = keyed === "shared" ? "all" : who;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (keyed !== "none" && n > LIMIT) return response.writeHead(429, { "retry-after": "1" }).end();
    response.writeHead(200).end("{}");
  });
});
let base = "";
beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

const helper = (path: string) => ({ service: "api", method: "POST", path }) as const;
const http: ProbeHttp = {
  identities: {
    alice: async () => ({ authorization: "Bearer alice" }),
    bob: async () => ({ authorization: "Bearer bob" }),
  },
  rateLimit: {
    service: "api",
    method: "GET",
    path: "/api/items",
    limit: LIMIT,
    windowMs: 2_000,
    identity: "alice",
    otherIdentity: "bob",
    storeOutage: { takeDown: helper("/test/redis/down"), restore: helper("/test/redis/up") },
  },
};

async function run(id: "R4" | "R5", profile: ProbeHttp = http) {
  counts = new Map();
  storeUp = true;
  const ctx = surfaceContextOn(base, profile);
  const probe = SURFACE_PROBES[id];
  if (!probe) throw new Error(`no ${id}`);
  return probe.run.call(probe, ctx);
}

describe("R4 a limit per identity", () => {
  it("passes a limiter keyed on the identity", async () => {
    keyed = "identity";
    const verdict = await run("R4");
    expect(verdict.status, verdict.observed).toBe("passed");
    expect(verdict.observed).toContain("alice limited after 4 requests; then bob: 200");
  });

  it("fails a limiter shared by every caller: one locks the others out", async () => {
    keyed = "shared";
    const verdict = await run("R4");
    expect(verdict.status).toBe("failed");
    expect(verdict.hint).toContain("The limit is shared, not per identity");
  });

  it("never passes when the first identity is never limited (no evidence)", async () => {
    keyed = "none";
    const verdict = await run("R4");
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("alice was never limited");
  });
});

describe("R5 the limiter fails closed", () => {
  it("passes a limiter that refuses everything without its store (503), and restores the store", async () => {
    keyed = "identity";
    whenDown = "closed";
    const before = restores;
    const verdict = await run("R5");
    expect(verdict.status, verdict.observed).toBe("passed");
    expect(restores - before).toBe(1);
    expect(storeUp).toBe(true);
  });

  it("passes a limiter that falls back to a local limit (still 429 past the limit)", async () => {
    whenDown = "fallback";
    const verdict = await run("R5");
    expect(verdict.status, verdict.observed).toBe("passed");
    expect(verdict.observed).toContain("3 of 4 let through (limit 3), then 429");
  });

  it("fails a limiter that lets everything through without its store", async () => {
    whenDown = "open";
    const before = restores;
    const verdict = await run("R5");
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain(
      "8 let through, over the limit of 3: the limiter fails open",
    );
    expect(restores - before).toBe(1);
  });

  it("a take-down helper that fails judges nothing and fails, and the store is restored anyway", async () => {
    const broken: ProbeHttp = {
      ...http,
      rateLimit: {
        ...(http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>),
        storeOutage: { takeDown: helper("/test/nope"), restore: helper("/test/redis/up") },
      },
    };
    const before = restores;
    const verdict = await run("R5", broken);
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("the take-down helper answered 404");
    expect(restores - before).toBe(1);
  });
});
