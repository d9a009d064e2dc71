import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { fixedWindow, sendJson } from "./exampleHttp.ts";

/*
 * Test support: a Whop app's HTTP surface as its hardening backlog (seed
 * 002) describes it: creator endpoints answer 401 without a token, the
 * login is rate-limited (429 with Retry-After and X-Rate-Limit-*), invalid
 * input gets 400 { error }, unbuilt features 501, and health checks the
 * database. Each flaw switches one claim off. Loopback only.
 */

export type ApiFlaw =
  | "noAuth"
  | "noRateLimit"
  | "invalid500"
  | "comingSoon"
  | "healthLeak"
  /** Health answers 200 "ok" while its database check fails. */
  | "healthLies"
  /** The scheduler route runs for anyone. */
  | "cronOpen"
  /** The scheduler route also takes its secret from the query. */
  | "cronQuery"
  /** Logout clears the cookie in the browser but the session stays good. */
  | "logoutKeepsSession"
  /** With its store (Redis) down, the login limiter lets everything through. */
  | "limiterFailsOpen";

export interface ExampleApi {
  url: string;
  token: string;
  /** The scheduler's shared secret (Vercel Cron's CRON_SECRET). */
  cronSecret: string;
  /** The password of the probe's test account (POST /api/session). */
  probePassword: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

const LIMIT = 5;
const WINDOW_MS = 2_000;

export async function startExampleApi(flaws: readonly ApiFlaw[] = []): Promise<ExampleApi> {
  const has = (f: ApiFlaw) => flaws.includes(f);
  const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const token = `tok_${Math.random().toString(36).slice(2)}`;
  const cronSecret = `cron_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const login = fixedWindow(LIMIT, WINDOW_MS);
  const probePassword = `pw_${Math.random().toString(36).slice(2)}`;
  const sessions = new Set<string>();
  let storeUp = true;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      void (async () => {
        const route = `${request.method} ${url.pathname}`;
        if (route === "GET /api/health") {
          const db = await pool.query("SELECT 1").then(
            () => true,
            () => false,
          );
          const lies = has("healthLies");
          return sendJson(response, db || lies ? 200 : 503, {
            status: db || lies ? "ok" : "down",
            checks: { database: db && !lies },
            ...(has("healthLeak") ? { database_url: databaseUrl } : {}),
          });
        }
        if (route === "GET /api/creator/stats") {
          if (!has("noAuth") && request.headers.authorization !== `Bearer ${token}`)
            return sendJson(
              response,
              401,
              { error: "unauthorized" },
              { "www-authenticate": 'Bearer realm="creator"' },
            );
          return sendJson(response, 200, { members: 12 });
        }
        if (route === "POST /test/limiter-store/down" || route === "POST /test/limiter-store/up") {
          storeUp = route.endsWith("/up");
          return sendJson(response, 200, { store: storeUp ? "up" : "down" });
        }
        if (route === "POST /api/session") {
          let password: unknown;
          try {
            password = (JSON.parse(body) as { password?: unknown }).password;
          } catch {
            password = undefined;
          }
          if (password !== probePassword)
            return sendJson(response, 401, { error: "wrong credentials" });
          const sid = `s_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
          sessions.add(sid);
          return sendJson(
            response,
            200,
            { ok: true },
            { "set-cookie": `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` },
          );
        }
        const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? "")?.[1];
        if (route === "GET /api/me")
          return sid && sessions.has(sid)
            ? sendJson(response, 200, { me: "probe" })
            : sendJson(response, 401, { error: "unauthorized" });
        if (route === "POST /api/session/logout") {
          if (sid && !has("logoutKeepsSession")) sessions.delete(sid);
          return sendJson(response, 200, { ok: true }, { "set-cookie": "sid=; Path=/; Max-Age=0" });
        }
        if (route === "POST /api/scheduler/reminders") {
          const right =
            request.headers.authorization === `Bearer ${cronSecret}` ||
            (has("cronQuery") && url.searchParams.get("secret") === cronSecret);
          if (!has("cronOpen") && !right) return sendJson(response, 401, { error: "unauthorized" });
          return sendJson(response, 200, { processed: 0 });
        }
        if (route === "POST /api/creator/payouts") {
          if (!has("noAuth") && request.headers.authorization !== `Bearer ${token}`)
            return sendJson(response, 401, { error: "unauthorized" });
          let amount: unknown;
          try {
            amount = (JSON.parse(body) as { amount?: unknown }).amount;
          } catch {
            amount = undefined;
          }
          if (typeof amount !== "number" || amount <= 0)
            return has("invalid500")
              ? sendJson(response, 500, { error: "internal" })
              : sendJson(response, 400, {
                  error: "invalid_request",
                  message: "amount must be a positive number",
                });
          return sendJson(response, 202, { queued: true });
        }
        if (route === "POST /api/login") {
          // The limiter's store is down: fail closed (503), unless the flaw lets everything through.
          if (!storeUp && !has("limiterFailsOpen"))
            return sendJson(response, 503, { error: "rate limiter unavailable" });
          if (!storeUp) return sendJson(response, 401, { error: "wrong credentials" });
          const { limited, remaining, resetSec: reset } = login.hit();
          const headers = {
            "x-rate-limit-remaining": String(remaining),
            "x-rate-limit-reset": String(reset),
          };
          if (!has("noRateLimit") && limited)
            return sendJson(
              response,
              429,
              { error: "rate_limited" },
              { ...headers, "retry-after": String(reset) },
            );
          return sendJson(response, 401, { error: "wrong credentials" }, headers);
        }
        if (url.pathname === "/api/referrals")
          return has("comingSoon")
            ? sendJson(response, 200, { message: "Coming soon" })
            : sendJson(response, 501, { error: "not_implemented" });
        return sendJson(response, 404, { error: "not found" });
      })().catch(() => sendJson(response, 500, { error: "internal" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    cronSecret,
    probePassword,
    databaseUrl,
    async stop() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await pool.end();
    },
  };
}
