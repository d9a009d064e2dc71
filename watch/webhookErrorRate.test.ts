import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpAgent } from "../lib/drivers/httpJson.ts";
import { WATCH_DEFAULTS } from "./watchSection.ts";
import { readWebhookErrorRate } from "./webhookErrorRate.ts";

// The PromQL path, against a stand-in for Prometheus' HTTP API: the queries
// it asks, and what it makes of the answers.
describe("readWebhookErrorRate from Prometheus", () => {
  let server: Server;
  let url = "";
  const queries: string[] = [];
  let answer: (query: string) => { status: number; body: unknown } = () => ({
    status: 500,
    body: {},
  });
  const http = createHttpAgent();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true });
  beforeAll(async () => {
    server = createServer((req, res) => {
      const query = new URL(req.url ?? "/", "http://x").searchParams.get("query") ?? "";
      queries.push(query);
      const { status, body } = answer(query);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await http.close();
    redis.disconnect();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const read = () =>
    readWebhookErrorRate({
      section: {
        webhookRequests: {
          service: "curva",
          metricsPath: "/metrics",
          route: "/webhooks/pasukuru",
          prometheusUrl: url,
        },
        notifiers: {},
      },
      settings: WATCH_DEFAULTS,
      serviceUrl: "http://127.0.0.1:1",
      http,
      state: redis,
      keyBase: "unused",
      now: Date.now(),
      timeoutMs: 2_000,
    });

  it("asks increase() over the window for all and for 5xx requests, and divides", async () => {
    answer = (q) => ({
      status: 200,
      body: {
        status: "success",
        data: {
          resultType: "vector",
          result: [{ metric: {}, value: [1, q.includes('status=~"5.."') ? "6" : "100"] }],
        },
      },
    });
    expect(await read()).toEqual({
      kind: "rate",
      source: "prometheus",
      requests: 100,
      errors5xx: 6,
      ratio: 0.06,
      windowSec: 300,
      resets: 0,
    });
    expect(queries.slice(-2).sort()).toEqual([
      'sum(increase(http_requests_total{route="/webhooks/pasukuru",status=~"5.."}[300s]))',
      'sum(increase(http_requests_total{route="/webhooks/pasukuru"}[300s]))',
    ]);
  });

  it("an empty result is zero requests; an error answer is a problem naming Prometheus", async () => {
    answer = () => ({
      status: 200,
      body: { status: "success", data: { resultType: "vector", result: [] } },
    });
    expect(await read()).toMatchObject({ requests: 0, errors5xx: 0, ratio: null });
    answer = () => ({ status: 400, body: { status: "error", error: "parse error" } });
    await expect(read()).rejects.toThrow(
      /Prometheus at http:\/\/127\.0\.0\.1:\d+ answered 400: parse error/,
    );
  });
});
