import type { Agent } from "undici";
import type { ProbeWebhook } from "../lib/config/probeProfile.ts";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { ConfigError } from "../lib/errors.ts";
import { resolvePointer } from "../lib/jsonPointer.ts";
import { exchange } from "./probeDelivery.ts";

/*
 * A receiver's read-back (W9–W11): how many times it processed an event,
 * by SQL (one row, a `count` column) or by a test helper over HTTP (JSON
 * with the count at a pointer). A read that says no count is a problem
 * naming what came back, never a zero: a zero would make every refusal
 * look unprocessed.
 */

type ReadBack = NonNullable<ProbeWebhook["processedCount"]>;

export function processedReader(
  readBack: ReadBack,
  at: { target: string; receiver: string; runId: string },
  via: {
    connections: TargetConnections;
    agent: Agent;
    serviceUrl: (service: string) => string;
    requestTimeoutMs: number;
  },
): (eventId: string) => Promise<number> {
  const key = `targets.${at.target}: probe.webhooks.${at.receiver}.processedCount`;
  const counted = (value: unknown, what: string): number => {
    const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
      throw new ConfigError([`${key} must read a whole count of 0 or more; ${what}.`]);
    return n;
  };
  if ("database" in readBack)
    return async (eventId) => {
      const { rows } = await via.connections.query(readBack, { eventId, runId: at.runId });
      const value = Number((rows[0] as { count?: unknown } | undefined)?.count);
      if (rows.length !== 1 || !Number.isInteger(value) || value < 0)
        throw new ConfigError([
          `${key} must return one row with an integer count column; it returned ${JSON.stringify(rows).slice(0, 160)}.`,
        ]);
      return value;
    };
  const pointer = readBack.pointer ?? "/count";
  return async (eventId) => {
    const path = readBack.path({ eventId, runId: at.runId });
    const a = await exchange(
      via.agent,
      {
        method: readBack.method,
        url: `${via.serviceUrl(readBack.service)}${path}`,
        headers: readBack.headers ?? {},
      },
      via.requestTimeoutMs,
    );
    if (a.status === null || a.status < 200 || a.status >= 300)
      throw new Error(
        `${key}: the helper ${readBack.method} ${path} answered ${a.status ?? `nothing (${a.error})`}, so the processing count is unknown.`,
      );
    let body: unknown;
    try {
      body = JSON.parse(a.text);
    } catch {
      throw new ConfigError([`${key}: the helper's answer is not JSON (${a.text.slice(0, 80)}).`]);
    }
    const found = resolvePointer(body, pointer);
    if (!found.found)
      throw new ConfigError([
        `${key}: the helper's answer has nothing at ${pointer} (${a.text.slice(0, 80)}).`,
      ]);
    return counted(found.value, `the helper's ${pointer} is ${JSON.stringify(found.value)}`);
  };
}
