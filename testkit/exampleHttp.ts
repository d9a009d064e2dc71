import type { ServerResponse } from "node:http";

/* Test support shared by the in-test example servers (exampleApi.ts, exampleTelegram.ts). */

/** A JSON answer on a connection that closes after it. */
export function sendJson(
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

/** A fixed-window counter: each hit counts; over `limit` in the window is limited until it resets. */
export function fixedWindow(limit: number, windowMs: number) {
  let window = { start: Date.now(), count: 0 };
  return {
    hit(): { limited: boolean; remaining: number; resetSec: number } {
      const now = Date.now();
      if (now - window.start >= windowMs) window = { start: now, count: 0 };
      window.count++;
      return {
        limited: window.count > limit,
        remaining: Math.max(0, limit - window.count),
        resetSec: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)),
      };
    },
  };
}
