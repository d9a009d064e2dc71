import type { Dispatcher } from "undici";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { withinBound } from "../lib/drivers/withinBound.ts";
import type { CheckVerdict } from "../lib/timedCheck.ts";
import { type Exchange, exchange } from "./probeDelivery.ts";

/** What the surface probes share: the profile's routes and how to reach them. */
export interface SurfaceContext {
  http: ProbeHttp;
  /** The URL of a path on one of the profile's services. */
  urlOf(service: string, path: string): string;
  agent: Dispatcher;
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /** Values that must never appear in an answer (the profile's secrets). */
  secrets: readonly string[];
  /** Work probes share within a run (R1's burst, read by R2 and R3). */
  memo: Map<string, Promise<unknown>>;
}

export type SurfaceProbe = {
  /** Why it cannot run against this profile (the part it needs is not configured); undefined when it can. */
  missing(http: ProbeHttp): string | undefined;
  expected: string;
  run(ctx: SurfaceContext): Promise<CheckVerdict>;
};

export function statusText(a: Exchange): string {
  return a.status === null ? `no answer (${a.error})` : `${a.status}`;
}

export function send(
  ctx: SurfaceContext,
  route: { service: string; method: string; path: string },
  headers: Record<string, string> = {},
  body?: string,
): Promise<Exchange> {
  return exchange(
    ctx.agent,
    {
      method: route.method,
      url: ctx.urlOf(route.service, route.path),
      headers,
      ...(body !== undefined ? { body } : {}),
    },
    ctx.requestTimeoutMs,
    ctx.signal,
  );
}

/** The list of a header (comma-separated), lower-cased. */
export const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

/** Judges many labelled cases at once: passed when none is wrong, with each case's evidence. */
export function verdictOf(
  expected: string,
  cases: readonly { label: string; answer: Exchange; wrong: string | undefined }[],
  hint: string,
): CheckVerdict {
  // Fail closed: a probe that checked nothing has no evidence either way.
  if (cases.length === 0)
    return {
      status: "skipped",
      expected,
      observed: "not judged: nothing to check",
      hint: "The probe's part of probe.http lists nothing.",
    };
  const evidence = cases.flatMap((c) => [`[${c.label}]`, ...c.answer.evidence]);
  const wrong = cases.filter((c) => c.wrong);
  const observed = (wrong.length > 0 ? wrong : cases)
    .map((c) => `${c.label}: ${c.wrong ?? statusText(c.answer)}`)
    .join("; ");
  return wrong.length === 0
    ? { status: "passed", expected, observed, evidence }
    : { status: "failed", expected, observed, hint, evidence };
}

/** An identity's headers (probe.http.identities), minted once a run and bounded by the request timeout. */
export function identityHeaders(
  ctx: SurfaceContext,
  name: string,
): Promise<Record<string, string>> {
  const key = `identity:${name}`;
  const memo = ctx.memo.get(key) as Promise<Record<string, string>> | undefined;
  if (memo) return memo;
  const mint = ctx.http.identities?.[name];
  const run = mint
    ? withinBound(
        () =>
          mint({
            timeoutMs: ctx.requestTimeoutMs,
            agent: ctx.agent,
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          }),
        ctx.requestTimeoutMs,
        `probe.http.identities.${name}`,
        ctx.signal,
      )
    : Promise.reject(new Error(`probe.http.identities has no ${JSON.stringify(name)}`));
  ctx.memo.set(key, run);
  return run;
}

/** A body for a route's method: none for GET, `{}` as JSON otherwise. */
export function bodyFor(route: { method: string }): {
  headers: Record<string, string>;
  body?: string;
} {
  return route.method === "GET"
    ? { headers: {} }
    : { headers: { "content-type": "application/json" }, body: "{}" };
}

export const is2xx = (a: Exchange) => a.status !== null && a.status >= 200 && a.status < 300;

/** Sends as the route's identity (probe.http.identities) when it names one: its headers first, the probe's own over them. */
export async function sendAs(
  ctx: SurfaceContext,
  route: { service: string; method: string; path: string; identity?: string | undefined },
  headers: Record<string, string> = {},
  body?: string,
): Promise<Exchange> {
  const own = route.identity !== undefined ? await identityHeaders(ctx, route.identity) : {};
  return send(ctx, route, { ...own, ...headers }, body);
}

/** A test helper call of the profile (an outage and its end): its headers, and its body as JSON when it has one. */
export function callHelper(
  ctx: SurfaceContext,
  h: {
    service: string;
    method: string;
    path: string;
    headers?: Record<string, string> | undefined;
    body?: string | undefined;
  },
): Promise<Exchange> {
  const json: Record<string, string> =
    h.body !== undefined ? { "content-type": "application/json" } : {};
  return send(ctx, h, { ...json, ...h.headers }, h.body);
}

/**
 * An answer with each of `values` (a secret, a session the target minted)
 * shown by its length only, as sent and URL-encoded, in its text and its
 * evidence: `[<what>: 32 chars]`. Longest first, so no value's prefix stays.
 */
export function hiddenIn(a: Exchange, values: readonly string[], what: string): Exchange {
  const forms = values
    .filter((v) => v.length > 0)
    .flatMap((v) => [v, encodeURIComponent(v)].map((form) => ({ form, length: v.length })))
    .sort((x, y) => y.form.length - x.form.length);
  const hide = (text: string) =>
    forms.reduce((t, { form, length }) => t.split(form).join(`[${what}: ${length} chars]`), text);
  return { ...a, text: hide(a.text), evidence: a.evidence.map(hide) };
}
