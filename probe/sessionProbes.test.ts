import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { surfaceContextOn } from "../testkit/surfaceContextOn.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * A6 against a loopback app with sessions (a cookie, or a bearer token in
 * the login's body): a logout that revokes passes, one that only clears
 * the browser's cookie fails; a login that fails or a session that never
 * reached the protected route is never a pass; a page that redirects a
 * signed-out visitor passes; the session's value never reaches evidence.
 */

const live = new Set<string>();
let revoke = true;
let redirect = false;
let issued = "";
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const cookie = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? "")?.[1];
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const session = cookie ?? bearer;
    if (request.method === "POST" && request.url === "/login") {
      issued = randomBytes(16).toString("hex");
      live.add(issued);
      return response
        .writeHead(200, {
          "content-type": "application/json",
          "set-cookie": [
            `theme=dark; Path=/`,
            `sid=${issued}; Path=/; HttpOnly; Expires=Wed, 09 Jun 2027 10:18:14 GMT`,
          ],
        })
        .end(JSON.stringify({ accessToken: issued }));
    }
    if (request.method === "POST" && request.url === "/logout") {
      if (revoke && session) live.delete(session);
      return response.writeHead(204, { "set-cookie": "sid=; Max-Age=0" }).end();
    }
    if (request.url === "/me") {
      if (session && live.has(session)) return response.writeHead(200).end('{"me":1}');
      return redirect
        ? response.writeHead(302, { location: "/login" }).end()
        : response.writeHead(401).end();
    }
    response.writeHead(404).end();
  });
});
let base = "";
beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

const flow = (credential: NonNullable<ProbeHttp["sessionRevocation"]>["credential"]) => ({
  login: {
    service: "app",
    method: "POST" as const,
    path: "/login",
    body: '{"email":"p@example.com","password":"x"}',
  },
  credential,
  protected: { service: "app", method: "GET" as const, path: "/me" },
  logout: { service: "app", method: "POST" as const, path: "/logout" },
});

async function a6(
  session: NonNullable<ProbeHttp["sessionRevocation"]>,
  options: { revokes?: boolean; redirects?: boolean } = {},
) {
  revoke = options.revokes ?? true;
  redirect = options.redirects ?? false;
  const ctx = surfaceContextOn(base, { sessionRevocation: session });
  const probe = SURFACE_PROBES.A6;
  if (!probe) throw new Error("no A6");
  return probe.run.call(probe, ctx);
}

describe("A6 logout revokes the session", () => {
  it("passes a cookie session that logout revokes, and never shows the session", async () => {
    const verdict = await a6(flow({ cookie: "sid" }));
    expect(verdict.status, verdict.observed).toBe("passed");
    expect(JSON.stringify(verdict)).not.toContain(issued);
    expect(JSON.stringify(verdict)).toContain("[session: 32 chars]");
  });

  it("fails a logout that only clears the browser's cookie: the old session still works", async () => {
    const verdict = await a6(flow({ cookie: "sid" }), { revokes: false });
    expect(verdict.status).toBe("failed");
    expect(verdict.observed).toContain(
      "with the logged-out session: 200: the session still works after logout",
    );
  });

  it("a bearer token from the login's body: revoked passes, not revoked fails", async () => {
    expect((await a6(flow({ pointer: "/accessToken" }))).status).toBe("passed");
    const kept = await a6(flow({ pointer: "/accessToken" }), { revokes: false });
    expect(kept.status).toBe("failed");
    expect(JSON.stringify(kept)).not.toContain(issued);
  });

  it("a page that redirects a signed-out visitor to sign in passes", async () => {
    expect((await a6(flow({ cookie: "sid" }), { redirects: true })).status).toBe("passed");
  });

  it("never passes when the session cannot be had or never reached the route", async () => {
    const noCookie = await a6(flow({ cookie: "session" }));
    expect(noCookie.status).toBe("failed");
    expect(noCookie.observed).toContain("the login set no session cookie");
    const noToken = await a6(flow({ pointer: "/token" }));
    expect(noToken.observed).toContain("no token at /token");
    const wrongRoute = await a6({
      ...flow({ cookie: "sid" }),
      protected: { service: "app", method: "GET", path: "/nope" },
    });
    expect(wrongRoute.status).toBe("failed");
    expect(wrongRoute.observed).toContain("(control): 404");
    const loginFails = await a6({
      ...flow({ cookie: "sid" }),
      login: { service: "app", method: "POST", path: "/signin" },
    });
    expect(loginFails.status).toBe("failed");
    expect(loginFails.observed).toContain("the login failed");
  });
});
