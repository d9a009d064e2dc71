import { createHmac, randomBytes } from "node:crypto";
import { httpJson } from "../lib/drivers/httpJson.ts";
import type { CheckResult } from "../lib/result/runResult.ts";
import { timedCheck } from "../lib/timedCheck.ts";
import type { StepContext } from "./stepContext.ts";

/**
 * `dlqBoardProtected`: the DLQ board answers 401 without credentials and
 * with forged tokens (alg none, a tampered payload, another key's
 * signature), 401 or 403 with a non-admin one, and 200 with the admin token. The board
 * shows and retries webhook jobs (order data): open, it is a leak.
 */

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function decodePart(part: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

/** Tokens that must not open the board, made from the admin token's own claims. */
function forgedTokens(adminToken: string): [string, string][] {
  const [header, payload, signature] = adminToken.split(".");
  const claims = { ...decodePart(payload), role: "admin" };
  const otherKey = randomBytes(32);
  const hs256Header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const otherSignature = createHmac("sha256", otherKey)
    .update(`${hs256Header}.${body}`)
    .digest("base64url");
  return [
    ["alg none", `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${body}.`],
    [
      "a tampered payload",
      `${header}.${b64url(JSON.stringify({ ...decodePart(payload), sub: "harness-forged" }))}.${signature}`,
    ],
    ["another key's signature", `${hs256Header}.${body}.${otherSignature}`],
  ];
}

export function dlqBoardProtected(ctx: StepContext): Promise<CheckResult> {
  const board = ctx.target.smoke.board;
  const expected =
    "401 without credentials and with forged tokens, 401 or 403 with a non-admin one; 200 with the admin token";
  return timedCheck(
    "dlqBoardProtected",
    expected,
    async () => {
      if (!board) throw new Error("the profile names no board");
      const url = `${ctx.target.services[board.service].url}${board.path}`;
      const ask = async (token: string | undefined) =>
        (
          await httpJson(ctx.connections.http, {
            method: "GET",
            url,
            headers: {
              accept: "text/html",
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            timeoutMs: ctx.requestTimeoutMs,
          })
        ).status;
      const refused: [string, string | undefined][] = [
        ["no credentials", undefined],
        ...forgedTokens(board.adminToken),
        ...(board.nonAdminToken
          ? [["a non-admin token", board.nonAdminToken] as [string, string]]
          : []),
      ];
      const seen: string[] = [];
      const open: string[] = [];
      for (const [what, token] of refused) {
        const status = await ask(token);
        seen.push(`${what} → ${status}`);
        // A non-admin is signed in, so 403 is as right as 401; every other refusal is 401.
        const refusedRight =
          what === "a non-admin token" ? status === 401 || status === 403 : status === 401;
        if (!refusedRight) open.push(`${what} → ${status}`);
      }
      const adminStatus = await ask(board.adminToken);
      seen.push(`the admin token → ${adminStatus}`);
      const observed = seen.join("; ");
      if (open.length > 0)
        return {
          status: "failed",
          expected,
          observed,
          hint: `The DLQ board at ${board.path} is not protected (${open.join("; ")}): anyone who reaches it can read and retry webhook jobs.`,
        };
      if (adminStatus !== 200)
        return {
          status: "failed",
          expected,
          observed,
          hint: `The admin token does not open the board (${adminStatus}): is it expired, or for another environment?`,
        };
      return { status: "passed", expected, observed };
    },
    "The board could not be asked; is the service up and the board mounted at its path?",
  );
}
