import https from "node:https";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createTestCertificates } from "../fixtures/referenceStack.ts";
import { answer, routedServer } from "../testkit/routedServer.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";
import { hstsMaxAge } from "./tlsProbes.ts";

/*
 * T1–T3 on evidence: no handshake, an untrusted certificate, a redirect
 * that is not to https on the same host, or no HSTS is never a pass.
 * Against a loopback server whose every route the test sets, and a real
 * HTTPS server with a test CA.
 */

const { routes, base, ctx } = routedServer();

describe("T1–T3: HTTPS evidence", () => {
  it("T1 fails on an origin that does not speak TLS, and on a chain the profile does not trust", async () => {
    const probe = SURFACE_PROBES.T1;
    const plain = await probe?.run.call(
      probe,
      ctx({ tls: { url: base().replace("http:", "https:") } }),
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
      const c = ctx({ tls: { ...tls, httpUrl: base() } });
      const verdict = await probe?.run.call(probe, c);
      expect(verdict?.status).toBe("failed");
      expect(verdict?.observed).toContain(wrong);
    }
    routes.clear();
    routes.set("GET /a", answer(308, "", { location: "https://127.0.0.1:1/a" }));
    expect((await probe?.run.call(probe, ctx({ tls: { ...tls, httpUrl: base() } })))?.status).toBe(
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
