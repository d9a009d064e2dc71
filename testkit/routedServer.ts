import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, beforeAll } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { SurfaceContext } from "../probe/surfaceContext.ts";
import { closeServer, listenOnLoopback } from "./loopbackServer.ts";
import { surfaceContextOn } from "./surfaceContextOn.ts";

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A handler that answers `status` with `body` and `headers`. */
export function answer(status: number, body = "", headers: Record<string, string> = {}): Handler {
  return (_request, response) => response.writeHead(status, headers).end(body);
}

/** A handler that answers `status` and counts the calls it answered. */
export function counted(status: number): Handler & { calls: number } {
  const handler = Object.assign(
    (_request: IncomingMessage, response: ServerResponse) => {
      handler.calls++;
      response.writeHead(status).end();
    },
    { calls: 0 },
  );
  return handler;
}

/** An admin or user header source for a probe's config: `Authorization: Bearer <token>`. */
export const bearer = (token: string) => async () => ({ authorization: `Bearer ${token}` });

/**
 * Test support: a loopback server whose every route the test sets
 * (`"GET /path"` → handler; anything else 404), listening for the file's
 * tests (its hooks are the caller's file's), and a surface probe's context
 * against it.
 */
export function routedServer(): {
  routes: Map<string, Handler>;
  base: () => string;
  ctx: (http: ProbeHttp) => SurfaceContext;
} {
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
  const ctx = (http: ProbeHttp) => surfaceContextOn(base, http);
  return {
    routes,
    base: () => base,
    ctx,
  };
}
