import type { Redis } from "ioredis";
import type { Agent } from "undici";
import type { WatchSection, WatchSettings } from "../lib/config/targetProfile.ts";
import { httpJson } from "../lib/drivers/httpJson.ts";
import { samplesOf } from "../lib/metricsText.ts";
import { type CounterReading, type ErrorRate, errorRate, readingOf } from "./errorRate.ts";

/**
 * Curva's inbound webhook 5xx rate over the window: from two scrapes of its
 * `/metrics` (this one, and the newest earlier one at least a window old,
 * kept in Redis beside the alert state), or from one PromQL query when the
 * profile names a Prometheus.
 */

export type RateReading =
  | ({ kind: "rate"; source: "scrapes" | "prometheus" } & ErrorRate)
  /** No earlier reading a window old yet (the first checks): nothing to judge. */
  | { kind: "warmingUp"; oldestAgeSec: number | null };

/** A reading may be this much younger than the window and still count: cron runs drift. */
const WINDOW_SLACK = 0.1;
/** Readings older than this many windows are neither used nor kept. */
const MAX_WINDOWS_BACK = 3;

export async function readWebhookErrorRate(input: {
  section: WatchSection;
  settings: WatchSettings;
  serviceUrl: string;
  http: Agent;
  state: Redis;
  /** `<prefix>:<target>`: where the readings are kept. */
  keyBase: string;
  now: number;
  timeoutMs: number;
}): Promise<RateReading> {
  const { route, prometheusUrl, metricsPath, metricsHeaders } = input.section.webhookRequests;
  if (prometheusUrl) return promqlRate(input, prometheusUrl, route);
  const answer = await httpJson(input.http, {
    method: "GET",
    url: `${input.serviceUrl}${metricsPath}`,
    headers: { accept: "text/plain", ...metricsHeaders },
    timeoutMs: input.timeoutMs,
  });
  if (answer.status !== 200 || typeof answer.body !== "string")
    throw new Error(
      `${input.serviceUrl}${metricsPath} answered ${answer.status}, not metrics text`,
    );
  const now = readingOf(samplesOf(answer.body, "http_requests_total"), route, input.now);
  const key = `${input.keyBase}:webhook-requests`;
  const window = input.settings.windowMs;
  // The newest reading about a window old; one far older (the watch stopped
  // for a while) would spread the rate thin, so it does not count.
  const [earlierText] = await input.state.zrevrangebyscore(
    key,
    input.now - window * (1 - WINDOW_SLACK),
    input.now - window * MAX_WINDOWS_BACK,
    "LIMIT",
    0,
    1,
  );
  await input.state
    .multi()
    .zadd(key, input.now, JSON.stringify(now))
    .zremrangebyscore(key, "-inf", input.now - MAX_WINDOWS_BACK * window)
    .pexpire(key, MAX_WINDOWS_BACK * window)
    .exec();
  if (earlierText === undefined) {
    const oldest = (await input.state.zrange(key, "0", "0", "WITHSCORES"))[1];
    return {
      kind: "warmingUp",
      oldestAgeSec: oldest === undefined ? null : Math.round((input.now - Number(oldest)) / 1000),
    };
  }
  return {
    kind: "rate",
    source: "scrapes",
    ...errorRate(JSON.parse(earlierText) as CounterReading, now),
  };
}

async function promqlRate(
  input: { http: Agent; settings: WatchSettings; timeoutMs: number },
  prometheusUrl: string,
  route: string,
): Promise<RateReading> {
  const window = `${Math.round(input.settings.windowMs / 1000)}s`;
  const selector = `route=${JSON.stringify(route)}`;
  const query = async (expr: string): Promise<number> => {
    const url = `${prometheusUrl.replace(/\/$/, "")}/api/v1/query?query=${encodeURIComponent(expr)}`;
    const answer = await httpJson(input.http, { method: "GET", url, timeoutMs: input.timeoutMs });
    const body = answer.body as {
      status?: string;
      error?: string;
      data?: { result?: { value?: [number, string] }[] };
    };
    if (answer.status !== 200 || body?.status !== "success")
      throw new Error(
        `Prometheus at ${prometheusUrl} answered ${answer.status}${body?.error ? `: ${body.error}` : ""} to ${expr}`,
      );
    const value = body.data?.result?.[0]?.value?.[1];
    return value === undefined ? 0 : Number(value);
  };
  const [requests, errors5xx] = await Promise.all([
    query(`sum(increase(http_requests_total{${selector}}[${window}]))`),
    query(`sum(increase(http_requests_total{${selector},status=~"5.."}[${window}]))`),
  ]);
  return {
    kind: "rate",
    source: "prometheus",
    requests,
    errors5xx,
    ratio: requests > 0 ? errors5xx / requests : null,
    windowSec: Math.round(input.settings.windowMs / 1000),
    // increase() handles resets itself.
    resets: 0,
  };
}
