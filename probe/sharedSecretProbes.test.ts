import { createServer, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { surfaceContextOn } from "../testkit/surfaceContextOn.ts";
import { wrongSecret } from "./sharedSecretProbes.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * A7 against a loopback cron route whose check the test sets: a correct one
 * passes; each way a route can fail to need its secret (none, any value,
 * the query too) fails naming the case; a route that refuses even the right
 * secret, or crashes, never passes; the secret never appears in evidence.
 */

const SECRET = "cron-secret-3f9a1c7e5b2d4a6f8e0c";
type Check = (request: IncomingMessage, url: URL) => boolean;
let check: Check = () => false;
let hits = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/api/cron/reminders") return response.writeHead(404).end();
    if (!check(request, url)) return response.writeHead(401).end('{"error":"unauthorized"}');
    hits++;
    response.writeHead(200, { "content-type": "application/json" }).end('{"processed":3}');
  });
});
let base = "";
beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

const http: ProbeHttp = {
  sharedSecretRoutes: [
    {
      service: "web",
      method: "POST",
      path: "/api/cron/reminders",
      header: "authorization",
      value: `Bearer ${SECRET}`,
    },
  ],
};

async function a7(checkWith: Check, profile: ProbeHttp = http) {
  check = checkWith;
  const ctx = surfaceContextOn(base, profile, [SECRET]);
  const probe = SURFACE_PROBES.A7;
  if (!probe) throw new Error("no A7");
  return probe.run.call(probe, ctx);
}

const headerOnly: Check = (r) => r.headers.authorization === `Bearer ${SECRET}`;

describe("A7 shared-secret routes", () => {
  it("passes a route that needs its secret in its header, and the control reached it", async () => {
    const before = hits;
    const verdict = await a7(headerOnly);
    expect(verdict.status).toBe("passed");
    expect(hits - before).toBe(1);
  });

  it("fails a route open to anyone, naming every case", async () => {
    const verdict = await a7(() => true);
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("without the secret: 200: not refused");
    expect(verdict.observed).toContain("with a wrong secret: 200");
    expect(verdict.observed).toContain("in the query");
  });

  it("fails a route that takes any bearer value (checks presence, not the secret)", async () => {
    const verdict = await a7((r) => String(r.headers.authorization ?? "").startsWith("Bearer "));
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("with a wrong secret: 200: not refused");
    expect(verdict.observed).not.toContain("without the secret: 200");
  });

  it("fails a route that also takes the secret from the query (it lands in access logs)", async () => {
    const verdict = await a7(
      (r, url) => headerOnly(r, url) || url.searchParams.get("secret") === SECRET,
    );
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("with the secret in the query (?secret=)");
  });

  it("never passes a route that refuses even the right secret: the refusals show nothing", async () => {
    const verdict = await a7(() => false);
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("the right secret is refused too");
  });

  it("never shows the secret: not in headers, not in the query case's URL, not a prefix", async () => {
    const verdict = await a7((r, url) => headerOnly(r, url) || url.searchParams.has("secret"));
    const text = JSON.stringify(verdict);
    expect(text).not.toContain(SECRET.slice(0, 8));
    expect(text).toContain("[redacted: ");
  });

  it("is not judged without routes configured", () => {
    expect(SURFACE_PROBES.A7?.missing({})).toBe("probe.http.sharedSecretRoutes is not configured");
  });

  it("a wrong secret is random, of the right length, and shares not even the first character", () => {
    for (let i = 0; i < 50; i++) {
      const wrong = wrongSecret(SECRET);
      expect(wrong).toHaveLength(SECRET.length);
      expect(wrong[0]).not.toBe(SECRET[0]);
      expect(wrong).not.toBe(wrongSecret(SECRET));
    }
  });
});
