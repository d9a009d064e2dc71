import { setTimeout as sleep } from "node:timers/promises";
import { type Dispatcher, request } from "undici";
import { describeError } from "../lib/errors.ts";
import { shownCredential } from "../lib/redact.ts";
import { SCHEMES, type SigningScheme } from "../lib/webhookSchemes.ts";

/** One delivery a probe sends: the exact bytes and headers. */
export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

/** What came back: the status (null when nothing did), how long it took, and the evidence lines. */
export interface Answer {
  status: number | null;
  ms: number;
  /** Why there was no status (a timeout, a reset); absent when there was one. */
  error?: string;
  /** The answer's body, as text (empty when there was none). */
  text: string;
  evidence: string[];
}

/** Headers worth showing: the signature's, ids and timestamps, the content type and length. */
function shownHeaders(scheme: SigningScheme, headers: Record<string, string>): string[] {
  const signature = SCHEMES[scheme].header;
  return Object.entries(headers)
    .filter(([name]) =>
      /^(content-type|content-length)$|-(id|timestamp|signature)$|signature/.test(name),
    )
    .map(([name, value]) => {
      // A MAC is not a secret, but long: the first characters tell which was sent.
      const shown = name === signature && value.length > 48 ? `${value.slice(0, 48)}…` : value;
      return `> ${name}: ${shown}`;
    });
}

function brief(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

/** One bounded round trip: any status is data, and so is no answer (`status: null`, with why). */
async function roundTrip(
  agent: Dispatcher,
  req: { method: string; url: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Omit<Exchange, "evidence">> {
  const started = performance.now();
  try {
    const response = await request(req.url, {
      dispatcher: agent,
      method: req.method as "GET",
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: signal
        ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
        : AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
    return {
      status: response.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
      text,
      headers,
    };
  } catch (error) {
    return {
      status: null,
      ms: Math.round(performance.now() - started),
      error: describeError(error),
      text: "",
      headers: {},
    };
  }
}

const noAnswer = (a: Omit<Answer, "evidence">) => `< no answer after ${a.ms} ms: ${a.error}`;

/** POSTs one delivery, bounded by `timeoutMs` and the run's signal. */
export async function deliver(
  agent: Dispatcher,
  url: string,
  scheme: SigningScheme,
  delivery: Delivery,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Answer> {
  const headers = { "content-type": "application/json", ...delivery.headers };
  const a = await roundTrip(
    agent,
    { method: "POST", url, headers, body: delivery.body },
    timeoutMs,
    signal,
  );
  return {
    status: a.status,
    ms: a.ms,
    text: a.text,
    ...(a.error ? { error: a.error } : {}),
    evidence: [
      `> POST ${url} (${Buffer.byteLength(delivery.body)} bytes)`,
      ...shownHeaders(scheme, headers),
      a.status === null
        ? noAnswer(a)
        : `< ${a.status} in ${a.ms} ms${a.text ? `: ${brief(a.text)}` : ""}`,
    ],
  };
}

export const is2xx = (status: number | null) => status !== null && status >= 200 && status < 300;
export const is4xx = (status: number | null) => status !== null && status >= 400 && status < 500;

/** GETs `url` (a handshake), bounded as a delivery is; the token in its query is redacted with the run's secrets. */
export async function fetchBounded(
  agent: Dispatcher,
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Answer> {
  const a = await roundTrip(agent, { method: "GET", url }, timeoutMs, signal);
  const type = a.headers["content-type"];
  return {
    status: a.status,
    ms: a.ms,
    text: a.text,
    ...(a.error ? { error: a.error } : {}),
    evidence: [
      `> GET ${url}`,
      a.status === null
        ? noAnswer(a)
        : `< ${a.status} in ${a.ms} ms${type ? ` (${type})` : ""}${a.text ? `: ${brief(a.text)}` : ""}`,
    ],
  };
}

/** An answer with its headers (lower-case names), for the surface probes. */
export interface Exchange extends Answer {
  headers: Record<string, string>;
}

/** Headers of an answer a surface probe shows: CORS, caching, Allow, content type, cookies, framing. */
const SHOWN_ANSWER =
  /^(access-control-|vary$|allow$|content-type$|www-authenticate$|retry-after$|ratelimit|x-rate-limit|set-cookie$|content-security-policy$|x-content-type-options$|x-frame-options$|strict-transport-security$|location$)/;

/** One bounded request of any method, with the answer's headers in its evidence. */
export async function exchange(
  agent: Dispatcher,
  req: { method: string; url: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Exchange> {
  const a = await roundTrip(agent, req, timeoutMs, signal);
  const sent = [
    `> ${req.method} ${req.url}${req.body !== undefined ? ` (${Buffer.byteLength(req.body)} bytes)` : ""}`,
    ...Object.entries(req.headers ?? {}).map(([k, v]) => `> ${k}: ${shownCredential(k, v)}`),
  ];
  return {
    ...a,
    evidence:
      a.status === null
        ? [...sent, noAnswer(a)]
        : [
            ...sent,
            `< ${a.status} in ${a.ms} ms`,
            ...Object.entries(a.headers)
              .filter(([k]) => SHOWN_ANSWER.test(k))
              .map(([k, v]) => `< ${k}: ${v}`),
            ...(a.text ? [`< ${brief(a.text)}`] : []),
          ],
  };
}

/** Waits `ms`, or less when the run is interrupted (as pollUntil waits: node's timer, cut by the signal). */
export const pause = (ms: number, signal?: AbortSignal): Promise<void> =>
  sleep(ms, undefined, signal ? { signal } : {}).catch(() => {});
