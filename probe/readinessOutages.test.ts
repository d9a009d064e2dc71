import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { surfaceContextOn } from "../testkit/surfaceContextOn.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * HC2 with several dependencies (a database and Redis): each taken down in
 * turn, restored, and readiness seen 2xx again before the next. A readiness
 * that checks only one of them fails on the other, naming it; liveness is
 * judged only where a livePath is given. A loopback server whose readiness
 * follows the dependencies the test says it checks.
 */

const down = new Set<string>();
let checks: readonly string[] = ["database", "redis"];
const calls: string[] = [];
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const url = request.url ?? "/";
    const [, verb, name] = /^\/test\/(down|up)\/(\w+)$/.exec(url) ?? [];
    if (request.method === "POST" && verb && name) {
      calls.push(`${verb} ${name}`);
      if (verb === "down") down.add(name);
      else down.delete(name);
      return response.writeHead(204).end();
    }
    if (url === "/ready")
      return response.writeHead(checks.some((c) => down.has(c)) ? 503 : 200).end();
    if (url === "/live") return response.writeHead(200).end();
    response.writeHead(404).end();
  });
});
let base = "";
beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

const helper = (verb: string, name: string) =>
  ({ service: "api", method: "POST", path: `/test/${verb}/${name}` }) as const;
const dependency = (name: string) => ({
  name,
  takeDown: helper("down", name),
  restore: helper("up", name),
});

async function hc2(readiness: NonNullable<ProbeHttp["readiness"]>) {
  calls.length = 0;
  down.clear();
  const ctx = surfaceContextOn(base, { readiness });
  const probe = SURFACE_PROBES.HC2;
  if (!probe) throw new Error("no HC2");
  return probe.run.call(probe, ctx);
}

const both = {
  service: "api",
  readyPath: "/ready",
  livePath: "/live",
  dependencies: [dependency("database"), dependency("redis")],
  settleMs: 400,
};

describe("HC2, several take-downs", () => {
  it("passes a readiness that follows both, one outage at a time, each restored", async () => {
    checks = ["database", "redis"];
    const verdict = await hc2(both);
    expect(verdict.status, verdict.observed).toBe("passed");
    expect(calls).toEqual(["down database", "up database", "down redis", "up redis"]);
    expect(down.size).toBe(0);
  });

  it("fails a readiness that checks the database only, naming Redis", async () => {
    checks = ["database"];
    const verdict = await hc2(both);
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("200 for 400 ms with redis down");
    expect(verdict.observed).not.toContain("with database down");
    expect(down.size).toBe(0);
  });

  it("without a livePath, liveness is not judged (and not claimed)", async () => {
    checks = ["database", "redis"];
    const { livePath: _, ...noLive } = both;
    const verdict = await hc2(noLive);
    expect(verdict.status).toBe("passed");
    expect(JSON.stringify(verdict.evidence)).not.toContain("[live,");
  });

  it("does not take the next down while the target is not ready again", async () => {
    checks = ["database", "redis"];
    const stuck = {
      ...both,
      dependencies: [
        { ...dependency("database"), restore: helper("up", "nothing") },
        dependency("redis"),
      ],
    };
    const verdict = await hc2(stuck);
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain("after database was restored");
    expect(calls).toEqual(["down database", "up nothing"]);
    down.clear();
  });
});

describe("HC2 without a dependency to take down", () => {
  it("is not judged (never a pass on readiness alone)", async () => {
    checks = ["database"];
    const verdict = await hc2({ service: "api", readyPath: "/ready" });
    expect(verdict.status).toBe("skipped");
    expect(calls).toEqual([]);
  });
});
