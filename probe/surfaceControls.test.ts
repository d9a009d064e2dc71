import { describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { answer, bearer, routedServer } from "../testkit/routedServer.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * Fail closed, probe by probe: where a probe has a control (the owner reads
 * its object, the valid initData passes, the admin opens the board, the
 * helper takes the dependency down), a target that fails the control is
 * never a pass; and where the evidence is missing (no handshake, no
 * redirect), the probe fails. Against a loopback server whose every route
 * the test sets.
 */

const { routes, ctx } = routedServer();

describe("controls: a target that fails the control never passes", () => {
  it("A4: an owner who cannot read its own object fails (the intruder's 404 proves nothing)", async () => {
    const http: ProbeHttp = {
      identities: { a: bearer("a"), b: bearer("b") },
      tenantIsolation: [
        { service: "s", method: "GET", path: "/things/1", owner: "a", intruder: "b" },
      ],
    };
    const probe = SURFACE_PROBES.A4;
    routes.clear();
    routes.set("GET /things/1", answer(404));
    const verdict = await probe?.run.call(probe, ctx(http));
    expect(verdict?.status).toBe("failed");
    expect(verdict?.hint).toContain("owner could not read its own object");
  });

  it("A4: an intruder who reads the object fails; the owner alone passes", async () => {
    const http: ProbeHttp = {
      identities: { a: bearer("a"), b: bearer("b") },
      tenantIsolation: [
        { service: "s", method: "GET", path: "/things/1", owner: "a", intruder: "b" },
      ],
    };
    const probe = SURFACE_PROBES.A4;
    routes.clear();
    routes.set("GET /things/1", (request, response) =>
      response.writeHead(request.headers.authorization === "Bearer a" ? 200 : 404).end(),
    );
    expect((await probe?.run.call(probe, ctx(http)))?.status).toBe("passed");
    routes.set("GET /things/1", answer(200));
    const verdict = await probe?.run.call(probe, ctx(http));
    expect(verdict?.status).toBe("failed");
    expect(verdict?.observed).toContain("as b: 200");
  });

  it("A3: a backend that refuses even valid initData fails, naming the bot token", async () => {
    const telegram = {
      service: "s",
      method: "GET" as const,
      path: "/me",
      botToken: "123456:AAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    };
    const probe = SURFACE_PROBES.A3;
    routes.clear();
    routes.set("GET /me", answer(401));
    const verdict = await probe?.run.call(probe, ctx({ telegram }));
    expect(verdict?.status).toBe("failed");
    expect(verdict?.hint).toContain("probe.http.telegram.botToken");
  });

  it("A5: a role answered 401 (its credentials not taken) fails: the role was never checked", async () => {
    const http: ProbeHttp = {
      identities: { viewer: bearer("v") },
      roles: [{ identity: "viewer", forbidden: [{ service: "s", method: "GET", path: "/admin" }] }],
    };
    const probe = SURFACE_PROBES.A5;
    routes.clear();
    routes.set("GET /admin", answer(401));
    const verdict = await probe?.run.call(probe, ctx(http));
    expect(verdict?.status).toBe("failed");
    expect(verdict?.observed).toContain("never checked");
  });

  it("E1: open metrics fail; a reader locked out fails too", async () => {
    const metrics = { service: "s", path: "/metrics", reader: "scraper" };
    const probe = SURFACE_PROBES.E1;
    routes.clear();
    routes.set("GET /metrics", answer(200, "# HELP up 1\nup 1\n"));
    const open = await probe?.run.call(
      probe,
      ctx({ identities: { scraper: bearer("t") }, metrics }),
    );
    expect(open?.status).toBe("failed");
    expect(open?.observed).toContain("metrics served");
    routes.set("GET /metrics", answer(401));
    const locked = await probe?.run.call(
      probe,
      ctx({ identities: { scraper: bearer("t") }, metrics }),
    );
    expect(locked?.status).toBe("failed");
    expect(locked?.hint).toContain("reader cannot read");
  });

  it("E2: a board that refuses its admin too fails (the refusals prove nothing)", async () => {
    const http: ProbeHttp = {
      identities: { admin: bearer("a") },
      adminBoard: { service: "s", path: "/board", admin: "admin" },
    };
    const probe = SURFACE_PROBES.E2;
    routes.clear();
    routes.set("GET /board", answer(401));
    const verdict = await probe?.run.call(probe, ctx(http));
    expect(verdict?.status).toBe("failed");
    expect(verdict?.observed).toContain("to an admin");
  });
});
