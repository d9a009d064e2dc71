import { describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { answer, counted, type Handler, routedServer } from "../testkit/routedServer.ts";
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

  /** HC2 against the routes given (the rest 404), with this settle bound. */
  async function hc2(given: Record<string, Handler>, settleMs = 300) {
    routes.clear();
    for (const [route, handler] of Object.entries(given)) routes.set(route, handler);
    const probe = SURFACE_PROBES.HC2;
    return probe?.run.call(probe, ctx({ readiness: readiness(settleMs) }));
  }

  it("a take-down helper that fails is a failure, and the restore helper is still called", async () => {
    const up = counted(200);
    const verdict = await hc2({
      "GET /ready": answer(200),
      "POST /down": answer(404),
      "POST /up": up,
    });
    expect(verdict?.status).toBe("failed");
    expect(verdict?.observed).toContain("the helper answered 404");
    expect(up.calls).toBe(1);
  });

  it("readiness that stays 200 with its dependency down fails at its settle bound, and is restored", async () => {
    const up = counted(200);
    const verdict = await hc2({
      "GET /ready": answer(200),
      "GET /live": answer(200),
      "POST /down": answer(200),
      "POST /up": up,
    });
    expect(verdict?.status).toBe("failed");
    expect(verdict?.observed).toMatch(/200 for 300 ms with the dependency down/);
    expect(up.calls).toBe(1);
  });

  it("readiness that is not 2xx before anything is taken down fails without taking anything down", async () => {
    const down = counted(200);
    const verdict = await hc2({ "GET /ready": answer(503), "POST /down": down });
    expect(verdict?.status).toBe("failed");
    expect(down.calls).toBe(0);
  });
});
