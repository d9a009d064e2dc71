import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { redactSecrets, redactUrl, shownCredential } from "./redact.ts";
import { signInitData } from "./signInitData.ts";
import { signJwt } from "./signJwt.ts";

describe("redactUrl", () => {
  it("hides usernames, passwords and secret query values, keeps the rest", () => {
    expect(redactUrl("postgres://app:s3cret@db.internal:5432/shop")).toBe(
      "postgres://***:***@db.internal:5432/shop",
    );
    expect(redactUrl("redis://:pw@127.0.0.1:6379/0")).toBe("redis://:***@127.0.0.1:6379/0");
    expect(redactUrl("https://x.test/a?token=abc&page=2")).toBe(
      "https://x.test/a?token=***&page=2",
    );
  });

  it("hides a token given as the username, with or without a password", () => {
    const token = "ghp_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    expect(redactUrl(`https://${token}@hooks.example/x`)).toBe("https://***@hooks.example/x");
    expect(redactUrl(`https://${token}:x-oauth-basic@git.example/r`)).toBe(
      "https://***:***@git.example/r",
    );
    expect(redactUrl("postgres://app@db/shop")).toBe("postgres://***@db/shop");
  });

  it("hides user:password@ and token@ even in what does not parse as a URL", () => {
    expect(redactUrl("not a url //user:pw@host")).toBe("not a url //***:***@host");
    expect(redactUrl("http://exa mple//tok3n@host")).toBe("http://exa mple//***@host");
  });
});

describe("redactSecrets", () => {
  it("replaces every occurrence of each known secret and ignores too-short ones", () => {
    expect(redactSecrets("a=topsecret b=topsecret c=abc", ["topsecret", "abc", undefined])).toBe(
      "a=*** b=*** c=abc",
    );
  });
});

describe("redactSecrets on cut text", () => {
  it("hides a secret's prefix where a cut ended inside it (a body shown to 160 characters)", () => {
    const secret = "hs_0123456789abcdefghijklmnopqrstuv";
    const cut = `{"token":"${secret}"}`.slice(0, 20);
    expect(redactSecrets(`body ${cut}…`, [secret])).toBe('body {"token":"***…');
  });

  it("leaves text that merely ends in an ellipsis alone", () => {
    expect(redactSecrets("waiting for the queue…", ["hs_0123456789abcdef"])).toBe(
      "waiting for the queue…",
    );
  });
});

describe("shownCredential", () => {
  const secret = "q7Zp2LwX9vRk4TbN8mYc3HsJ6dGf1QaE";

  it("shows no character of a credential header's value, long or short, only its shape", () => {
    for (const [name, value] of [
      ["authorization", `Bearer ${secret}`],
      ["x-test-helper-secret", secret],
      ["x-api-key", "short"],
      ["cookie", `session=${secret}; theme=dark`],
    ] as const) {
      const shown = shownCredential(name, value);
      for (let i = 0; i + 4 <= secret.length; i++)
        expect(shown).not.toContain(secret.slice(i, i + 4));
      expect(shown).not.toContain("short");
    }
    const hash = createHash("sha256").update(secret).digest("hex").slice(0, 4);
    expect(shownCredential("authorization", `Bearer ${secret}`)).toBe(
      `Bearer [redacted: 32 chars, sha256 ${hash}…]`,
    );
    // A short value's hash could confirm a guess: its length alone.
    expect(shownCredential("cookie", `session=${secret}; theme=dark`)).toBe(
      `session=[redacted: 32 chars, sha256 ${hash}…]; theme=[redacted: 4 chars]`,
    );
    expect(shownCredential("x-test-helper-secret", secret)).toBe(
      `[redacted: 32 chars, sha256 ${hash}…]`,
    );
    expect(shownCredential("x-api-key", "short")).toBe("[redacted: 5 chars]");
  });

  it("shows a token the harness minted by its header and claims, never its signature; another JWT by its shape", () => {
    const minted = signJwt({ alg: "HS256", typ: "JWT" }, { sub: "probe", exp: 1 }, secret);
    const signature = minted.split(".")[2] as string;
    const shown = shownCredential("authorization", `Bearer ${minted}`);
    expect(shown).toBe(
      'Bearer [minted JWT: header {"alg":"HS256","typ":"JWT"}, claims {"sub":"probe","exp":1}; signature not shown]',
    );
    for (let i = 0; i + 6 <= signature.length; i++)
      expect(shown).not.toContain(signature.slice(i, i + 6));
    // The same token's look-alike from elsewhere (one character off) is a credential like any other.
    const foreign = `${minted.slice(0, -1)}${minted.endsWith("A") ? "B" : "A"}`;
    expect(shownCredential("authorization", `Bearer ${foreign}`)).toMatch(
      /^Bearer \[redacted: \d+ chars, sha256 [0-9a-f]{4}…\]$/,
    );
    const initData = signInitData("123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", {
      auth_date: "1700000000",
      user: '{"id":1}',
    });
    const hash = new URLSearchParams(initData).get("hash") as string;
    const initShown = shownCredential("authorization", `tma ${initData}`);
    expect(initShown).toBe(
      'tma [minted initData: auth_date=1700000000&user={"id":1}; hash and signature not shown]',
    );
    expect(initShown).not.toContain(hash.slice(0, 6));
  });

  it("shows other headers as they are", () => {
    expect(shownCredential("content-type", "application/json")).toBe("application/json");
  });
});
