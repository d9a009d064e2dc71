import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { STACK_DEFAULTS } from "../fixtures/referenceStack.ts";
import { startFaultProxy } from "./faultProxy.ts";

const redisTarget = () => {
  const url = new URL(STACK_DEFAULTS.redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379) };
};

describe("the fault proxy", () => {
  it("passes, stalls (nothing answers, then everything held arrives) and cuts", async () => {
    const proxy = await startFaultProxy(redisTarget());
    const redis = new Redis(proxy.url(STACK_DEFAULTS.redisUrl), {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    try {
      expect(await redis.ping()).toBe("PONG");
      proxy.stall();
      let answered = false;
      const held = redis.ping().then((v) => {
        answered = true;
        return v;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      proxy.pass();
      expect(await held).toBe("PONG");
      proxy.cut();
      await expect(redis.ping()).rejects.toThrow();
    } finally {
      redis.disconnect();
      await proxy.close();
    }
  });

  it("a stalled Postgres accepts the connection and never answers", async () => {
    const url = new URL(STACK_DEFAULTS.databaseUrl);
    const proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
    proxy.stall();
    const client = new pg.Client({
      connectionString: proxy.url(STACK_DEFAULTS.databaseUrl),
      connectionTimeoutMillis: 300,
    });
    client.on("error", () => {});
    try {
      await expect(client.connect()).rejects.toThrow(/timeout/i);
      expect(proxy.accepted).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("forwards to loopback only", async () => {
    await expect(startFaultProxy({ host: "10.0.0.1", port: 5432 })).rejects.toThrow(/loopback/);
  });
});
