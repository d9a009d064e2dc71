import { createServer, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { surfaceContextOn } from "../testkit/surfaceContextOn.ts";
import { bodyProblems } from "./bodyExpectations.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * Health that means it (HC1, HC4 with `body`): a 200 whose body reports a
 * service down fails, naming it; a healthy body passes however it is laid
 * out; a body that is not JSON, an empty list, a pointer that reaches
 * nothing never pass. Routes behind authentication are read as their
 * identity (S1–S3 and R1 take one too).
 */

let discovery = "";
const seen: string[] = [];
const server = createServer((request: IncomingMessage, response) => {
  request.resume();
  request.on("end", () => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? "-"}`);
    if (request.url === "/discovery/services")
      return response.writeHead(200, { "content-type": "application/json" }).end(discovery);
    if (request.url === "/health")
      return response.writeHead(200, { "content-type": "application/json" }).end(discovery);
    if (request.url === "/creator/items") {
      if (request.headers.authorization !== "Bearer creator") return response.writeHead(401).end();
      return response
        .writeHead(400, { "content-type": "application/json" })
        .end('{"error":{"code":"invalid","message":"name is required"}}');
    }
    response.writeHead(404).end();
  });
});
let base = "";
beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

async function run(id: string, http: ProbeHttp, body: string) {
  discovery = body;
  const ctx = surfaceContextOn(base, http);
  const probe = SURFACE_PROBES[id];
  if (!probe) throw new Error(`no ${id}`);
  return probe.run.call(probe, ctx);
}

const everyUp: ProbeHttp = {
  criticalRoutes: [
    {
      service: "orchestrator",
      path: "/discovery/services",
      body: [{ pointer: "/services", every: { pointer: "/status", equals: "healthy" } }],
    },
  ],
};

describe("HC4 with what the body must say", () => {
  it("fails a 200 that reports a service down, naming it", async () => {
    const verdict = await run(
      "HC4",
      everyUp,
      '{"services":[{"name":"wallet","status":"healthy"},{"name":"payments","status":"down"}]}',
    );
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain('/services/1/status is "down", not "healthy" (payments)');
  });

  it("passes a healthy body, whatever else it holds and in whatever order", async () => {
    const verdict = await run(
      "HC4",
      everyUp,
      '{"version":"1.2","services":[{"status":"healthy","name":"wallet","extra":{"a":1}},{"name":"payments","status":"healthy"}]}',
    );
    expect(verdict.status).toBe("passed");
  });

  it("never passes an empty list, a missing list, a list that is not one, or a body that is not JSON", async () => {
    for (const [body, says] of [
      ['{"services":[]}', "empty list"],
      ['{"svc":[]}', "nothing at /services"],
      ['{"services":{"status":"healthy"}}', "not a list"],
      ["<html>ok</html>", "not JSON"],
    ] as const) {
      const verdict = await run("HC4", everyUp, body);
      expect(verdict.status, body).toBe("failed");
      expect(verdict.observed).toContain(says);
    }
  });

  it("without `body`, a 200 is judged by status alone, as before", async () => {
    const verdict = await run(
      "HC4",
      { criticalRoutes: [{ service: "o", path: "/discovery/services" }] },
      '{"services":[{"status":"down"}]}',
    );
    expect(verdict.status).toBe("passed");
  });

  it("HC1 judges the health route's `body` too", async () => {
    const http: ProbeHttp = {
      health: { service: "o", path: "/health", body: [{ pointer: "/checks/db", equals: "ok" }] },
    };
    expect((await run("HC1", http, '{"status":"pass","checks":{"db":"ok"}}')).status).toBe(
      "passed",
    );
    const down = await run("HC1", http, '{"status":"pass","checks":{"db":"timeout"}}');
    expect(down.status).toBe("failed");
    expect(down.observed).toContain('/checks/db is "timeout", not "ok"');
  });
});

describe("identities on the routes S1–S3, HC4 and R1 send", () => {
  it("S2 reads an invalid input behind authentication as its identity: the 400 is judged, not a 401", async () => {
    const input = { service: "web", method: "POST", path: "/creator/items", body: "{}" } as const;
    const http: ProbeHttp = {
      identities: { creator: async () => ({ authorization: "Bearer creator" }) },
      invalidInputs: [{ ...input, identity: "creator" }],
    };
    const verdict = await run("S2", http, "");
    expect(verdict.status).toBe("passed");
    const anonymous = await run("S2", { invalidInputs: [input] }, "");
    expect(anonymous.status).toBe("failed");
  });
});

describe("bodyProblems", () => {
  it('compares as JSON: the string "true" is not true, 1 is not "1"', () => {
    expect(bodyProblems('{"ok":"true"}', [{ pointer: "/ok", equals: true }])).toEqual([
      '/ok is "true", not true',
    ]);
    expect(bodyProblems('{"n":1}', [{ pointer: "/n", equals: "1" }])).toEqual(['/n is 1, not "1"']);
    expect(bodyProblems('{"n":null}', [{ pointer: "/n", equals: null }])).toEqual([]);
  });
});
