import { describe, expect, it } from "vitest";
import { redactSecrets, redactUrl } from "./redact.ts";

describe("redactUrl", () => {
  it("hides passwords and secret query values, keeps the rest", () => {
    expect(redactUrl("postgres://app:s3cret@db.internal:5432/shop")).toBe(
      "postgres://app:***@db.internal:5432/shop",
    );
    expect(redactUrl("redis://:pw@127.0.0.1:6379/0")).toBe("redis://:***@127.0.0.1:6379/0");
    expect(redactUrl("https://x.test/a?token=abc&page=2")).toBe(
      "https://x.test/a?token=***&page=2",
    );
    expect(redactUrl("postgres://app@db/shop")).toBe("postgres://app@db/shop");
  });

  it("hides user:password@ even in what does not parse as a URL", () => {
    expect(redactUrl("not a url //user:pw@host")).toBe("not a url //user:***@host");
  });
});

describe("redactSecrets", () => {
  it("replaces every occurrence of each known secret and ignores too-short ones", () => {
    expect(redactSecrets("a=topsecret b=topsecret c=abc", ["topsecret", "abc", undefined])).toBe(
      "a=*** b=*** c=abc",
    );
  });
});
