import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { isValid } from "@telegram-apps/init-data-node";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCertificates } from "../fixtures/referenceStack.ts";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { signInitData } from "../lib/signInitData.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import type { SurfaceContext } from "./surfaceContext.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";
import { hstsMaxAge } from "./tlsProbes.ts";

/*
 * Fail closed, probe by probe: where a probe has a control (the owner reads
 * its object, the valid initData passes, the admin opens the board, the
 * helper takes the dependency down), a target that fails the control is
 * never a pass; and where the evidence is missing (no handshake, no
 * redirect), the probe fails. Against a loopback server whose every route
 * the test sets.
 */

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const routes = new Map<string, Handler>();
let base = "";
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const handler = routes.get(`${request.method} ${request.url}`);
    if (handler) handler(request, response);
    else response.writeHead(404).end();
  });
});

beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

function answer(status: number, body = "", headers: Record<string, string> = {}): Handler {
  return (_request, response) => response.writeHead(status, headers).end(body);
}

function ctx(http: ProbeHttp): SurfaceContext {
  return {
    http,
    urlOf: (_service, path) => `${base}${path}`,
    agent: new Agent(),
    requestTimeoutMs: 2_000,
    secrets: [],
    memo: new Map(),
  };
}

async function _run(id: string, http: ProbeHttp) {
  routes.clear();
  const probe = SURFACE_PROBES[id];
  if (!probe) throw new Error(`no probe ${id}`);
  return probe.run.call(probe, ctx(http));
}

const bearer = (token: string) => async () => ({ authorization: `Bearer ${token}` });

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

describe("T1–T3: HTTPS evidence", () => {
  it("T1 fails on an origin that does not speak TLS, and on a chain the profile does not trust", async () => {
    const probe = SURFACE_PROBES.T1;
    const plain = await probe?.run.call(
      probe,
      ctx({ tls: { url: base.replace("http:", "https:") } }),
    );
    expect(plain?.status).toBe("failed");
    expect(plain?.observed).toContain("no TLS 1.2+ handshake");
    const certs = await createTestCertificates();
    const secure = https.createServer({ key: certs.keyPem, cert: certs.certPem }, (_q, r) =>
      r.end(),
    );
    await new Promise<void>((resolve) => secure.listen(0, "127.0.0.1", resolve));
    try {
      const url = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
      const untrusted = await probe?.run.call(probe, ctx({ tls: { url } }));
      expect(untrusted?.status).toBe("failed");
      expect(untrusted?.observed).toContain("chain not trusted");
      const trusted = await probe?.run.call(probe, ctx({ tls: { url, ca: certs.caPem } }));
      expect(trusted?.status).toBe("passed");
      // Valid, but for fewer days than asked for.
      const short = await probe?.run.call(
        probe,
        ctx({ tls: { url, ca: certs.caPem, minDaysLeft: 365 } }),
      );
      expect(short?.status).toBe("failed");
      expect(short?.observed).toMatch(/expires in \d+ days \(under 365\)/);
    } finally {
      secure.closeAllConnections();
      await new Promise<void>((resolve) => secure.close(() => resolve()));
    }
  });

  it("T2 fails on no redirect, a redirect to http, and one to another host", async () => {
    const tls = { url: "https://127.0.0.1:1", httpUrl: "", paths: ["/a"] };
    const probe = SURFACE_PROBES.T2;
    for (const [handler, wrong] of [
      [answer(200), "200, not a redirect"],
      [answer(301, "", { location: "http://127.0.0.1:1/a" }), "redirects to http://"],
      [answer(308, "", { location: "https://other.example/a" }), "another host"],
    ] as const) {
      routes.clear();
      routes.set("GET /a", handler);
      const c = ctx({ tls: { ...tls, httpUrl: base } });
      const verdict = await probe?.run.call(probe, c);
      expect(verdict?.status).toBe("failed");
      expect(verdict?.observed).toContain(wrong);
    }
    routes.clear();
    routes.set("GET /a", answer(308, "", { location: "https://127.0.0.1:1/a" }));
    expect((await probe?.run.call(probe, ctx({ tls: { ...tls, httpUrl: base } })))?.status).toBe(
      "passed",
    );
  });

  it.each([
    ["max-age=31536000; includeSubDomains", 31_536_000],
    ['max-age="15552000"', 15_552_000],
    ["includeSubDomains; max-age=60; preload", 60],
    ["includeSubDomains", undefined],
    ["max-age=abc", undefined],
    [undefined, undefined],
  ])("HSTS %j has max-age %j", (value, seconds) => {
    expect(hstsMaxAge(value)).toBe(seconds);
  });
});

describe("Telegram initData as the probe signs it", () => {
  const token = "7000000:AAexampleexampleexampleexample";
  const fields = {
    query_id: "AAH1",
    user: JSON.stringify({ id: 7_000_000_001, first_name: "Harness" }),
    auth_date: String(Math.floor(Date.now() / 1000)),
    signature: "c2lnbmF0dXJl",
  };

  it("validates with @telegram-apps/init-data-node, Telegram's rules as a backend applies them", () => {
    expect(isValid(signInitData(token, fields), token)).toBe(true);
  });

  it("does not validate under another bot's token, or with the user edited", () => {
    expect(isValid(signInitData(token, fields), `${token}0`)).toBe(false);
    const edited = new URLSearchParams(signInitData(token, fields));
    edited.set("user", JSON.stringify({ id: 7_000_000_002, first_name: "Harness" }));
    expect(isValid(edited.toString(), token)).toBe(false);
  });
});
