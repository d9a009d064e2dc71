import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { Exchange } from "./probeDelivery.ts";
import {
  type SurfaceContext,
  type SurfaceProbe,
  send,
  statusText,
  verdictOf,
} from "./surfaceContext.ts";

/*
 * Pages (T4-T6): the HTML pages a browser or an in-app webview loads:
 * their cookies, subresources and framing.
 */

const PAGES_MISSING = (http: ProbeHttp) =>
  http.pages?.routes.length ? undefined : "probe.http.pages is not configured";

/** The pages, fetched once a run and shared by T4–T6. */
function pagesOf(ctx: SurfaceContext): Promise<{ path: string; answer: Exchange }[]> {
  const memo = ctx.memo.get("pages") as Promise<{ path: string; answer: Exchange }[]> | undefined;
  if (memo) return memo;
  const run = (async () => {
    const out = [];
    for (const route of ctx.http.pages?.routes ?? [])
      out.push({ path: route.path, answer: await send(ctx, { ...route, method: "GET" }) });
    return out;
  })();
  ctx.memo.set("pages", run);
  return run;
}

/** Each Set-Cookie of an answer, split (undici joins repeated headers with ", "; a cookie's Expires has one too). */
function cookiesOf(a: Exchange): { name: string; attributes: string[] }[] {
  const raw = a.headers["set-cookie"];
  if (!raw) return [];
  return raw
    .split(/,(?=\s*[^;=\s]+=)/)
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const [pair = "", ...attrs] = c.split(";").map((p) => p.trim());
      return { name: pair.split("=")[0] ?? "", attributes: attrs.map((x) => x.toLowerCase()) };
    });
}

/** The http:// URLs a page loads or posts to (scripts, styles, images, frames, media, forms). */
function insecureReferences(html: string): string[] {
  const found = new Set<string>();
  const pattern =
    /<(script|link|img|iframe|frame|source|video|audio|embed|object|form)\b[^>]*?\b(src|href|data|action)\s*=\s*["']?(http:\/\/[^"'\s>]+)/gi;
  for (const m of html.matchAll(pattern)) if (m[3]) found.add(`${m[1]?.toLowerCase()} ${m[3]}`);
  return [...found];
}

/** One page's case: wrong when it did not load, else when it has problems. */
function pageCase(path: string, answer: Exchange, problems: readonly string[]) {
  return {
    label: path,
    answer,
    wrong:
      answer.status === null || answer.status >= 400
        ? statusText(answer)
        : problems.length > 0
          ? problems.join(", ")
          : undefined,
  };
}

export const PAGE_PROBES: Record<string, SurfaceProbe> = {
  T4: {
    missing: PAGES_MISSING,
    expected: "every SameSite=None cookie Secure; session cookies HttpOnly",
    async run(ctx) {
      const session = new Set((ctx.http.pages?.sessionCookies ?? []).map((n) => n.toLowerCase()));
      const cases = (await pagesOf(ctx)).map(({ path, answer }) => {
        const problems = cookiesOf(answer)
          .flatMap((c) => [
            c.attributes.includes("samesite=none") && !c.attributes.includes("secure")
              ? `${c.name}: SameSite=None without Secure`
              : "",
            session.has(c.name.toLowerCase()) && !c.attributes.includes("httponly")
              ? `${c.name}: a session cookie without HttpOnly`
              : "",
          ])
          .filter(Boolean);
        const missing = [...session].filter(
          (n) => !cookiesOf(answer).some((c) => c.name.toLowerCase() === n),
        );
        return pageCase(path, answer, [
          ...problems,
          ...(missing.length > 0 && cookiesOf(answer).length === 0
            ? [`no Set-Cookie (expected ${missing.join(", ")})`]
            : []),
        ]);
      });
      return verdictOf(
        this.expected,
        cases,
        "Browsers drop a SameSite=None cookie that is not Secure (the LIFF page loses its session inside LINE), and a session cookie scripts can read is one XSS away from theft: set Secure and HttpOnly, and make sure the edge passes them through.",
      );
    },
  },
  T5: {
    missing: PAGES_MISSING,
    expected: "no http:// subresource or form target",
    async run(ctx) {
      const cases = (await pagesOf(ctx)).map(({ path, answer }) => {
        const insecure = insecureReferences(answer.text);
        return pageCase(path, answer, insecure.length > 0 ? [`loads ${insecure.join(", ")}`] : []);
      });
      return verdictOf(
        this.expected,
        cases,
        "An https page that loads http:// resources is blocked or flagged by the browser (and LINE's in-app browser): serve every subresource over https.",
      );
    },
  },
  T6: {
    missing: PAGES_MISSING,
    expected: "nosniff, and frame-ancestors allowing each configured embedder",
    async run(ctx) {
      const embedders = ctx.http.pages?.embeddableBy ?? [];
      const cases = (await pagesOf(ctx)).map(({ path, answer }) => {
        const csp = answer.headers["content-security-policy"] ?? "";
        const ancestors = /frame-ancestors([^;]*)/i.exec(csp)?.[1]?.trim().split(/\s+/) ?? [];
        const xfo = (answer.headers["x-frame-options"] ?? "").toLowerCase();
        const problems = [
          (answer.headers["x-content-type-options"] ?? "").toLowerCase() === "nosniff"
            ? ""
            : "no X-Content-Type-Options: nosniff",
          ...embedders
            .filter((origin) => !ancestors.includes(origin) && !ancestors.includes("*"))
            .map((origin) => `frame-ancestors lacks ${origin}`),
          embedders.length > 0 && (xfo === "deny" || xfo === "sameorigin") && ancestors.length === 0
            ? `X-Frame-Options ${xfo} forbids the embedders`
            : "",
        ].filter(Boolean);
        return pageCase(path, answer, problems);
      });
      return verdictOf(
        this.expected,
        cases,
        "The page must be framed only where it has to be (frame-ancestors naming the embedders) and never sniffed as another type (nosniff).",
      );
    },
  },
};
