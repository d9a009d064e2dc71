import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { EnvReader } from "./envReader.ts";

describe("EnvReader", () => {
  it("lists every missing or invalid variable at once", () => {
    const env = new EnvReader({ B_URL: "not a url", C_URL: "ftp://x" });
    env.string("A_SECRET", { description: "the helper secret" });
    env.url("B_URL", { description: "Pasukuru's base URL", protocols: ["http:", "https:"] });
    env.url("C_URL", { description: "Curva's base URL", protocols: ["http:", "https:"] });
    expect(() => env.assertValid()).toThrow(ConfigError);
    expect(env.problems).toHaveLength(3);
    expect(env.problems[0]).toContain("A_SECRET is not set");
    expect(env.problems[1]).toContain('B_URL="not a url" is not a URL');
    expect(env.problems[2]).toContain("allowed: http:, https:");
  });

  it("remembers secrets and URL passwords for redaction, and uses defaults", () => {
    const env = new EnvReader({
      S: "s3cret-value",
      DB: "postgres://reader:p%40ss@db:5432/app",
    });
    expect(env.secret("S", { description: "x" })).toBe("s3cret-value");
    expect(env.url("DB", { description: "db", protocols: ["postgres:"] })).toContain("db:5432");
    expect(env.string("Q", { description: "q", default: "curva-webhook" })).toBe("curva-webhook");
    expect(env.secrets).toEqual(["s3cret-value", "p@ss", "p%40ss"]);
    expect(() => env.assertValid()).not.toThrow();
  });

  it("treats a token-like URL username as a secret, and scrubs known secrets from every problem", () => {
    const token = "tok_5f2c9a1e7b3d4c6a8e0f";
    const env = new EnvReader({
      SLACK: `https://${token}@hooks.example/services/x`,
      SECRET: "helper-secret-1234",
      BAD: "https://pasukuru.example:notaport/?k=helper-secret-1234",
      DB: "postgres://postgres@127.0.0.1:5432/postgres",
    });
    env.url("SLACK", { description: "slack", protocols: ["https:"] });
    env.secret("SECRET", { description: "the helper secret" });
    env.url("BAD", { description: "Pasukuru's URL", protocols: ["https:"] });
    env.url("DB", { description: "db", protocols: ["postgres:"] });
    // A role name is not a token: scrubbing "postgres" would mangle every postgres:// URL.
    expect(env.secrets).toEqual([token, token, "helper-secret-1234"]);
    const error = (() => {
      try {
        env.assertValid();
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.message).toContain("BAD=");
    expect(error?.message).not.toContain("helper-secret-1234");
  });
});
