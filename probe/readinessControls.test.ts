import { describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { answer, routedServer } from "../testkit/routedServer.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * HC2's controls: a take-down helper that fails, a readiness that stays
 * 200 with its dependency down, and one that is not 2xx to begin with are
 * never a pass, and the restore helper is called whatever happened. Against
 * a loopback server whose every route the test sets.
 */

const { routes, ctx } = routedServer();

describe("HC2: readiness under an outage", () => {
  const readiness = (settleMs = 300): NonNullable<ProbeHttp["readiness"]> => ({
    service: "s",
    readyPath: "/ready",
    livePath: "/live",
    takeDown: { service: "s", method: "POST", path: "/down", body: "{}" },
    restore: { service: "s", method: "POST", path: "/up", body: "{}" },
    settleMs,
  });

  it("a take-down helper that fails is a failure, and the restore helper is still called", async () => {
    const probe = SURFACE_PROBES.HC2;
    routes.clear();
    let restored = 0;
    routes.set("GET /ready", answer(200));
    routes.set("POST /down", answer(404));
    routes.set("POST /up", (_q, r) => {
      restored++;
      r.writeHead(200).end();
    });
    const verdict = await probe?.run.call(probe, ctx({ readiness: readiness() }));
    expect(verdict?.status).toBe("failed");
    expect(verdict?.observed).toContain("the helper answered 404");
    expect(restored).toBe(1);
  });

  it("readiness that stays 200 with its dependency down fails at its settle bound, and is restored", async () => {
    const probe = SURFACE_PROBES.HC2;
    routes.clear();
    let restored = 0;
    routes.set("GET /ready", answer(200));
    routes.set("GET /live", answer(200));
    routes.set("POST /down", answer(200));
    routes.set("POST /up", (_q, r) => {
      restored++;
      r.writeHead(200).end();
    });
    const verdict = await probe?.run.call(probe, ctx({ readiness: readiness(300) }));
    expect(verdict?.status).toBe("failed");
    expect(verdict?.observed).toMatch(/200 for 300 ms with the dependency down/);
    expect(restored).toBe(1);
  });

  it("readiness that is not 2xx before anything is taken down fails without taking anything down", async () => {
    const probe = SURFACE_PROBES.HC2;
    routes.clear();
    let downs = 0;
    routes.set("GET /ready", answer(503));
    routes.set("POST /down", (_q, r) => {
      downs++;
      r.writeHead(200).end();
    });
    const verdict = await probe?.run.call(probe, ctx({ readiness: readiness() }));
    expect(verdict?.status).toBe("failed");
    expect(downs).toBe(0);
  });
});
