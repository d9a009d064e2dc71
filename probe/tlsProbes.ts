import { isIP } from "node:net";
import tls from "node:tls";
import { Agent } from "undici";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { type Exchange, exchange } from "./probeDelivery.ts";
import { type SurfaceContext, type SurfaceProbe, statusText, verdictOf } from "./surfaceContext.ts";

/*
 * HTTPS (T1–T3): the certificate and protocols of the https origin, the
 * http origin's redirect to it, and HSTS. Each connection is bounded by the
 * probe's request timeout; the CA to trust comes from the profile (a
 * staging edge's private CA, or the test CA the local stack makes).
 */

const DAY_MS = 86_400_000;
const TLS_MISSING = (http: ProbeHttp) =>
  http.tls ? undefined : "probe.http.tls is not configured";

type Tls = NonNullable<ProbeHttp["tls"]>;

/** What one TLS handshake showed, or why there was none. */
type Handshake =
  | {
      ok: true;
      protocol: string | null;
      authorized: boolean;
      authorizationError: string | undefined;
      identityError: string | undefined;
      validTo: Date | undefined;
      issuer: string;
    }
  | { ok: false; code: string; message: string };

function handshake(
  spec: Tls,
  ctx: SurfaceContext,
  versions: {
    minVersion?: tls.SecureVersion;
    maxVersion?: tls.SecureVersion;
    ciphers?: string;
  } = {},
): Promise<Handshake> {
  const url = new URL(spec.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      ...(spec.ca ? { ca: [...tls.rootCertificates, spec.ca] } : {}),
      // Judged below, so the answer says why it is wrong instead of only failing.
      rejectUnauthorized: false,
      ...versions,
    });
    const done = (h: Handshake) => {
      clearTimeout(timer);
      ctx.signal?.removeEventListener("abort", abort);
      socket.destroy();
      resolve(h);
    };
    const abort = () => done({ ok: false, code: "ABORTED", message: "interrupted" });
    const timer = setTimeout(
      () =>
        done({
          ok: false,
          code: "ETIMEDOUT",
          message: `no handshake within ${ctx.requestTimeoutMs} ms`,
        }),
      ctx.requestTimeoutMs,
    );
    ctx.signal?.addEventListener("abort", abort, { once: true });
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate(true);
      const identity =
        cert && Object.keys(cert).length > 0 ? tls.checkServerIdentity(host, cert) : undefined;
      done({
        ok: true,
        protocol: socket.getProtocol(),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError
          ? String(socket.authorizationError)
          : undefined,
        identityError: identity?.message,
        validTo: cert?.valid_to ? new Date(cert.valid_to) : undefined,
        issuer: [cert?.issuer?.CN ?? cert?.issuer?.O ?? "unknown"].flat().join(", "),
      });
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done({ ok: false, code: error.code ?? "ERROR", message: error.message.split("\n")[0] ?? "" }),
    );
  });
}

/** Each path of the https or http origin, fetched once without following redirects, on one agent. */
async function fetchPaths(
  ctx: SurfaceContext,
  origin: string,
  paths: readonly string[],
  ca?: string,
): Promise<{ path: string; answer: Exchange }[]> {
  const agent = new Agent({ connect: { ...(ca ? { ca: [...tls.rootCertificates, ca] } : {}) } });
  try {
    const out = [];
    for (const path of paths)
      out.push({
        path,
        answer: await exchange(
          agent,
          { method: "GET", url: `${origin}${path}` },
          ctx.requestTimeoutMs,
          ctx.signal,
        ),
      });
    return out;
  } finally {
    await agent.close();
  }
}

/** max-age of a Strict-Transport-Security value, in seconds; undefined when it has none. */
export function hstsMaxAge(value: string | undefined): number | undefined {
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(value ?? "");
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export const TLS_PROBES: Record<string, SurfaceProbe> = {
  T1: {
    missing: TLS_MISSING,
    expected: "a chain valid for the host with enough days left; TLS 1.1 and older refused",
    async run(ctx) {
      const spec = ctx.http.tls as Tls;
      const minDays = spec.minDaysLeft ?? 21;
      const h = await handshake(spec, ctx, { minVersion: "TLSv1.2" });
      const evidence = [
        `> TLS handshake with ${spec.url}${spec.ca ? " (trusting the profile's CA)" : ""}`,
      ];
      if (!h.ok)
        return {
          status: "failed",
          expected: this.expected,
          observed: `no TLS 1.2+ handshake: ${h.code} ${h.message}`,
          hint: "The https origin does not complete a TLS 1.2 or 1.3 handshake: is it listening with a certificate, and is probe.http.tls.url right?",
          evidence: [...evidence, `< ${h.code}: ${h.message}`],
        };
      const daysLeft = h.validTo
        ? Math.floor((h.validTo.getTime() - Date.now()) / DAY_MS)
        : undefined;
      evidence.push(
        `< ${h.protocol}, issuer ${h.issuer}, valid to ${h.validTo?.toISOString() ?? "unknown"} (${daysLeft ?? "?"} days)`,
        `< chain: ${h.authorized ? "trusted" : `not trusted (${h.authorizationError})`}; host: ${h.identityError ?? "matches"}`,
      );
      const old = await handshake(spec, ctx, {
        minVersion: "TLSv1",
        maxVersion: "TLSv1.1",
        // OpenSSL 3 will not offer TLS 1.1 at its default security level: ask for it, to see whether the server takes it.
        ciphers: "DEFAULT:@SECLEVEL=0",
      });
      evidence.push(
        "> TLS handshake offering only TLS 1.0 and 1.1",
        old.ok ? `< accepted: ${old.protocol}` : `< refused: ${old.code}`,
      );
      // Fail closed: if this machine could not even offer TLS 1.1, the refusal says nothing about the server.
      const localRefusal =
        !old.ok &&
        /NO_PROTOCOLS_AVAILABLE|UNSUPPORTED_PROTOCOL|NO_CIPHERS/i.test(old.code) &&
        !/ALERT/i.test(old.code);
      const problems = [
        h.authorized ? "" : `chain not trusted (${h.authorizationError})`,
        h.identityError ? `not valid for the host: ${h.identityError}` : "",
        daysLeft === undefined
          ? "no expiry date"
          : daysLeft < minDays
            ? `expires in ${daysLeft} days (under ${minDays})`
            : "",
        old.ok ? `accepts ${old.protocol}` : "",
        old.ok === false && old.code === "ETIMEDOUT" ? "the TLS 1.1 handshake got no answer" : "",
      ].filter(Boolean);
      if (problems.length === 0 && localRefusal)
        return {
          status: "skipped",
          expected: this.expected,
          observed: `not judged: this machine could not offer TLS 1.1 (${old.code}); the certificate is fine (${daysLeft} days left)`,
          evidence,
        };
      const observed =
        problems.length === 0
          ? `${h.protocol}, trusted, valid for the host, ${daysLeft} days left; TLS 1.1 refused`
          : problems.join("; ");
      return problems.length === 0
        ? { status: "passed", expected: this.expected, observed, evidence }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "Browsers (and LINE's in-app browser) refuse an untrusted, mismatched or expired certificate, and TLS 1.0/1.1 are deprecated (RFC 8996): renew well before expiry and set the edge's minimum protocol to TLS 1.2.",
            evidence,
          };
    },
  },
  T2: {
    missing: (http) =>
      TLS_MISSING(http) ??
      (http.tls?.httpUrl ? undefined : "probe.http.tls.httpUrl is not configured"),
    expected: "each path over http:// redirects to the same host and path over https",
    async run(ctx) {
      const spec = ctx.http.tls as Tls;
      const httpUrl = spec.httpUrl as string;
      const target = new URL(spec.url);
      const cases = [];
      for (const { path, answer: a } of await fetchPaths(ctx, httpUrl, spec.paths ?? ["/"])) {
        const location = a.headers.location;
        let wrong: string | undefined;
        if (a.status === null || ![301, 302, 307, 308].includes(a.status))
          wrong = `${statusText(a)}, not a redirect`;
        else if (!location) wrong = `${a.status} without Location`;
        else {
          const to = new URL(location, `${httpUrl}${path}`);
          wrong =
            to.protocol !== "https:"
              ? `redirects to ${to.protocol}//`
              : to.hostname !== target.hostname
                ? `redirects to another host (${to.hostname})`
                : to.pathname !== new URL(path, target).pathname
                  ? `redirects to ${to.pathname}, not ${path}`
                  : undefined;
        }
        cases.push({ label: `http ${path}`, answer: a, wrong });
      }
      return verdictOf(
        this.expected,
        cases,
        "A visitor who types or follows an http:// link is served in clear text or lost: redirect every http request to the same host and path over https (301 or 308).",
      );
    },
  },
  T3: {
    missing: TLS_MISSING,
    expected: "Strict-Transport-Security max-age at least 180 days",
    async run(ctx) {
      const spec = ctx.http.tls as Tls;
      const min = spec.hstsMinSeconds ?? 15_552_000;
      const cases = [];
      for (const { path, answer: a } of await fetchPaths(
        ctx,
        spec.url,
        spec.paths ?? ["/"],
        spec.ca,
      )) {
        const value = a.headers["strict-transport-security"];
        const maxAge = hstsMaxAge(value);
        cases.push({
          label: `https ${path}`,
          answer: a,
          wrong:
            a.status === null
              ? statusText(a)
              : value === undefined
                ? "no Strict-Transport-Security"
                : maxAge === undefined
                  ? `Strict-Transport-Security ${JSON.stringify(value)} has no max-age`
                  : maxAge < min
                    ? `max-age ${maxAge} (${Math.floor(maxAge / 86_400)} days), under ${Math.floor(min / 86_400)} days`
                    : undefined,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "Without HSTS (or with a short one) the first request of every visit can be downgraded to http: send Strict-Transport-Security: max-age=31536000 (at least 180 days) on every https answer.",
      );
    },
  },
};
