import { type Dispatcher, request } from "undici";
import { describeError } from "../lib/errors.ts";
import { SCHEMES, type SigningScheme } from "../lib/webhookSigning.ts";

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

/**
 * POSTs one delivery, bounded by `timeoutMs` and the run's signal; any
 * status is data, and so is no answer (`status: null`, with why).
 */
export async function deliver(
  agent: Dispatcher,
  url: string,
  scheme: SigningScheme,
  delivery: Delivery,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Answer> {
  const started = performance.now();
  const headers = { "content-type": "application/json", ...delivery.headers };
  const sentLines = [
    `> POST ${url} (${Buffer.byteLength(delivery.body)} bytes)`,
    ...shownHeaders(scheme, headers),
  ];
  try {
    const response = await request(url, {
      dispatcher: agent,
      method: "POST",
      headers,
      body: delivery.body,
      signal: signal
        ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
        : AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    return {
      status: response.statusCode,
      ms,
      text,
      evidence: [
        ...sentLines,
        `< ${response.statusCode} in ${ms} ms${text ? `: ${brief(text)}` : ""}`,
      ],
    };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const why = describeError(error);
    return {
      status: null,
      ms,
      error: why,
      text: "",
      evidence: [...sentLines, `< no answer after ${ms} ms: ${why}`],
    };
  }
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
  const started = performance.now();
  const sent = `> GET ${url}`;
  try {
    const response = await request(url, {
      dispatcher: agent,
      method: "GET",
      signal: signal
        ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
        : AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const type = response.headers["content-type"];
    return {
      status: response.statusCode,
      ms,
      text,
      evidence: [
        sent,
        `< ${response.statusCode} in ${ms} ms${type ? ` (${String(type)})` : ""}${text ? `: ${brief(text)}` : ""}`,
      ],
    };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const why = describeError(error);
    return {
      status: null,
      ms,
      error: why,
      text: "",
      evidence: [sent, `< no answer after ${ms} ms: ${why}`],
    };
  }
}

/** An answer with its headers (lower-case names), for the surface probes. */
export interface Exchange extends Answer {
  headers: Record<string, string>;
}

/** Headers of an answer a surface probe shows: CORS, caching, Allow, content type. */
const SHOWN_ANSWER =
  /^(access-control-|vary$|allow$|content-type$|www-authenticate$|retry-after$|ratelimit|x-rate-limit|set-cookie$|content-security-policy$|x-content-type-options$|x-frame-options$)/;

/** One bounded request of any method; any status is data, and so is no answer. */
export async function exchange(
  agent: Dispatcher,
  request_: { method: string; url: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Exchange> {
  const started = performance.now();
  const sent = [
    `> ${request_.method} ${request_.url}${request_.body !== undefined ? ` (${Buffer.byteLength(request_.body)} bytes)` : ""}`,
    ...Object.entries(request_.headers ?? {}).map(([k, v]) => `> ${k}: ${v}`),
  ];
  try {
    const response = await request(request_.url, {
      dispatcher: agent,
      method: request_.method as "GET",
      ...(request_.headers ? { headers: request_.headers } : {}),
      ...(request_.body !== undefined ? { body: request_.body } : {}),
      signal: signal
        ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
        : AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
    return {
      status: response.statusCode,
      ms,
      text,
      headers,
      evidence: [
        ...sent,
        `< ${response.statusCode} in ${ms} ms`,
        ...Object.entries(headers)
          .filter(([k]) => SHOWN_ANSWER.test(k))
          .map(([k, v]) => `< ${k}: ${v}`),
        ...(text ? [`< ${brief(text)}`] : []),
      ],
    };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const why = describeError(error);
    return {
      status: null,
      ms,
      error: why,
      text: "",
      headers: {},
      evidence: [...sent, `< no answer after ${ms} ms: ${why}`],
    };
  }
}
