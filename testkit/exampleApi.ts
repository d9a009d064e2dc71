import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";

/*
 * Test support: a Whop app's HTTP surface as its hardening backlog (seed
 * 002) describes it: creator endpoints answer 401 without a token, the
 * login is rate-limited (429 with Retry-After and X-Rate-Limit-*), invalid
 * input gets 400 { error }, unbuilt features 501, and health checks the
 * database. Each flaw switches one claim off. Loopback only.
 */

export type ApiFlaw = "noAuth" | "noRateLimit" | "invalid500" | "comingSoon" | "healthLeak";

export interface ExampleApi {
  url: string;
  token: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

const LIMIT = 5;
const WINDOW_MS = 2_000;

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    "content-type": "application/json",
    connection: "close",
    ...headers,
  });
  response.end(JSON.stringify(body));
}

export async function startExampleApi(flaws: readonly ApiFlaw[] = []): Promise<ExampleApi> {
  const has = (f: ApiFlaw) => flaws.includes(f);
  const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const token = `tok_${Math.random().toString(36).slice(2)}`;
  let window = { start: Date.now(), count: 0 };
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
          return send(response, db ? 200 : 503, {
            status: db ? "ok" : "down",
            checks: { database: db },
            ...(has("healthLeak") ? { database_url: databaseUrl } : {}),
          });
        }
        if (route === "GET /api/creator/stats") {
          if (!has("noAuth") && request.headers.authorization !== `Bearer ${token}`)
            return send(
              response,
              401,
              { error: "unauthorized" },
              { "www-authenticate": 'Bearer realm="creator"' },
            );
          return send(response, 200, { members: 12 });
        }
        if (route === "POST /api/creator/payouts") {
          let amount: unknown;
          try {
            amount = (JSON.parse(body) as { amount?: unknown }).amount;
          } catch {
            amount = undefined;
          }
          if (typeof amount !== "number" || amount <= 0)
            return has("invalid500")
              ? send(response, 500, { error: "internal" })
              : send(response, 400, {
                  error: "invalid_request",
                  message: "amount must be a positive number",
                });
          return send(response, 202, { queued: true });
        }
        if (route === "POST /api/login") {
          const now = Date.now();
          if (now - window.start >= WINDOW_MS) window = { start: now, count: 0 };
          window.count++;
          const reset = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
          const headers = {
            "x-rate-limit-remaining": String(Math.max(0, LIMIT - window.count)),
            "x-rate-limit-reset": String(reset),
          };
          if (!has("noRateLimit") && window.count > LIMIT)
            return send(
              response,
              429,
              { error: "rate_limited" },
              { ...headers, "retry-after": String(reset) },
            );
          return send(response, 401, { error: "wrong credentials" }, headers);
        }
        if (url.pathname === "/api/referrals")
          return has("comingSoon")
            ? send(response, 200, { message: "Coming soon" })
            : send(response, 501, { error: "not_implemented" });
        return send(response, 404, { error: "not found" });
      })().catch(() => send(response, 500, { error: "internal" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
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
