import { createServer, type Server } from "node:http";
import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import { EnvReader } from "../lib/config/envReader.ts";
import { DependencyUnreachableError } from "../lib/errors.ts";
import { envTarget } from "./envTarget.ts";

const STAGING = {
  STAGING_PASUKURU_URL: "http://127.0.0.1:4020",
  STAGING_CURVA_URL: "http://127.0.0.1:4030",
  STAGING_TEST_HELPER_SECRET: "helper-secret",
  STAGING_PASUKURU_DATABASE_URL: "postgres://reader@127.0.0.1:5432/p",
  STAGING_CURVA_DATABASE_URL: "postgres://reader@127.0.0.1:5432/c",
  STAGING_REDIS_URL: "redis://127.0.0.1:6379",
};

/** A token helper that accepts the request and never answers (a hung staging emulator). */
async function hangingServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => {});
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, server };
}

describe("envTarget's token minting", () => {
  it("gives up after the request timeout and names the helper's URL", async () => {
    const { url, server } = await hangingServer();
    try {
      const env = new EnvReader({ ...STAGING, STAGING_LINE_TOKEN_URL: url });
      const { profile } = await envTarget("STAGING", false).setup({
        targetName: "staging",
        env,
        keepData: false,
        purpose: "smoke",
      });
      env.assertValid();
      const identity = profile.smoke?.identity;
      if (identity?.kind !== "mint") throw new Error("expected a minting identity");
      const started = performance.now();
      const agent = new Agent();
      const error = await identity
        .mintIdToken({ sub: `U${"a".repeat(32)}`, name: "t" }, { timeoutMs: 200, agent })
        .catch((e: unknown) => e)
        .finally(() => agent.destroy());
      // The helper is the harness's dependency: silent is unreachable (exit 3), never the target's fault.
      expect(error).toBeInstanceOf(DependencyUnreachableError);
      expect(String((error as Error).message)).toContain(
        `LINE token helper at ${url}/test/id-tokens is unreachable (no answer within 200 ms (--request-timeout))`,
      );
      // Bounded by its budget, not by fetch's own 300 s default.
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
