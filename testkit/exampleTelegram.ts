import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parse, validate } from "@telegram-apps/init-data-node";
import { fixedWindow, sendJson } from "./exampleHttp.ts";

/*
 * Test support: a Telegram Mini App backend as the wallet's go-live list
 * (seed 003) describes it: initData verified with the bot token by
 * Telegram's own rules (checked here with @telegram-apps/init-data-node,
 * not our signer), no trust in a bare X-Telegram-User-Id header, CORS for
 * the frontend and https://web.telegram.org only (never *), unbuilt
 * features 501, the transfer route rate-limited. Each flaw switches one
 * claim off. Loopback only.
 */

export type TelegramFlaw =
  | "noHashCheck"
  /** Re-serialises the user's JSON (JSON.stringify) before checking: Telegram's "\/" escapes break the hash. */
  | "reserializeUser"
  /** Re-encodes the user's JSON as PHP's json_encode does ("/" escaped) before checking: another encoding passes. */
  | "phpReencode"
  | "trustsUserIdHeader"
  | "noExpiry"
  | "corsStar"
  | "corsReflect"
  | "comingSoon"
  | "noRateLimit";

export interface ExampleTelegram {
  url: string;
  botToken: string;
  frontendOrigin: string;
  stop(): Promise<void>;
}

const FRONTEND = "https://wallet.example.com";
const ALLOWED = [FRONTEND, "https://web.telegram.org"];
const LIMIT = 5;
const WINDOW_MS = 2_000;

export async function startExampleTelegram(
  flaws: readonly TelegramFlaw[] = [],
): Promise<ExampleTelegram> {
  const has = (f: TelegramFlaw) => flaws.includes(f);
  const botToken = `${1_000_000 + Math.floor(Math.random() * 8_000_000)}:AA${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const transfers = fixedWindow(LIMIT, WINDOW_MS);

  /** The Telegram user of a request, or undefined: initData in `Authorization: tma <initData>`. */
  function userOf(headers: Record<string, string | string[] | undefined>): number | undefined {
    if (has("trustsUserIdHeader") && typeof headers["x-telegram-user-id"] === "string")
      return Number(headers["x-telegram-user-id"]);
    const auth = headers.authorization;
    if (typeof auth !== "string" || !auth.startsWith("tma ")) return undefined;
    let initData = auth.slice(4);
    try {
      if (has("reserializeUser") || has("phpReencode")) {
        const params = new URLSearchParams(initData);
        const user = params.get("user");
        if (user !== null) {
          const again = JSON.stringify(JSON.parse(user));
          params.set("user", has("phpReencode") ? again.replaceAll("/", "\\/") : again);
        }
        initData = params.toString();
      }
      // noHashCheck: the backend reads the user out of initData and never checks the hash.
      if (!has("noHashCheck"))
        validate(initData, botToken, { expiresIn: has("noExpiry") ? 0 : 3600 });
      return parse(initData).user?.id;
    } catch {
      return undefined;
    }
  }

  function cors(origin: string | undefined): Record<string, string> {
    const allow = !origin
      ? undefined
      : has("corsStar")
        ? "*"
        : has("corsReflect") || ALLOWED.includes(origin)
          ? origin
          : undefined;
    return {
      vary: "Origin",
      ...(allow
        ? {
            "access-control-allow-origin": allow,
            ...(allow !== "*" ? { "access-control-allow-credentials": "true" } : {}),
          }
        : {}),
    };
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    request.resume();
    request.on("end", () => {
      const route = `${request.method} ${url.pathname}`;
      const origin =
        typeof request.headers.origin === "string" ? request.headers.origin : undefined;
      if (route === "GET /api/health") return sendJson(response, 200, { status: "ok" });
      if (route === "OPTIONS /api/wallet/balance") {
        const headers = cors(origin);
        return sendJson(response, 204, "", {
          ...headers,
          ...(headers["access-control-allow-origin"]
            ? {
                "access-control-allow-methods": "GET",
                "access-control-allow-headers": "authorization",
              }
            : {}),
        });
      }
      if (route === "GET /api/wallet/balance" || route === "POST /auth/telegram/webapp-verify") {
        const user = userOf(request.headers);
        if (user === undefined)
          return sendJson(
            response,
            401,
            { error: "invalid_init_data" },
            { ...cors(origin), "www-authenticate": "tma" },
          );
        return sendJson(response, 200, { user, balance: 0 }, cors(origin));
      }
      if (route === "POST /api/wallet/transfer") {
        const { limited, resetSec: reset } = transfers.hit();
        if (!has("noRateLimit") && limited)
          return sendJson(
            response,
            429,
            { error: "rate_limited" },
            { "retry-after": String(reset) },
          );
        return sendJson(response, 401, { error: "invalid_init_data" });
      }
      if (url.pathname === "/api/wallet/swap")
        return has("comingSoon")
          ? sendJson(response, 200, { message: "Coming soon" })
          : sendJson(response, 501, { error: "not_implemented" });
      return sendJson(response, 404, { error: "not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    botToken,
    frontendOrigin: FRONTEND,
    async stop() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
