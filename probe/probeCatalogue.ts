/**
 * The webhook probes as data: what each sends, what a correct receiver
 * does, how safe it is, and which claim of which go-live document it
 * checks. Ids are stable: reports, `--only`, `productionOptIn` and the
 * sign-off name probes by them. probe/README.md's catalogue is this table.
 */

/**
 * `readOnly`: a correct receiver changes nothing (it rejects the delivery);
 * `writes`: a correct receiver processes an event (needs a non-production
 * target, or an opt-in there); `burst`: many requests in a short window
 * (never against production); `outage`: takes one of the target's
 * dependencies down for a moment through a helper (never against production).
 */
export type ProbeSafety = "readOnly" | "writes" | "burst" | "outage";

export interface ProbeSpec {
  id: string;
  /** What it probes: each webhook receiver, or the target's HTTP surface (once a run). */
  family:
    | "webhook"
    | "handshake"
    | "auth"
    | "cors"
    | "health"
    | "status"
    | "rateLimit"
    | "https"
    | "pages"
    | "exposure";
  title: string;
  sends: string;
  expects: string;
  safety: ProbeSafety;
  /** `needs`: not judged without the receiver's read-back; `uses`: judged by status alone without it. */
  readBack: "needs" | "uses" | "none";
  /** Only for schemes that sign a timestamp. */
  timestamped?: boolean;
  /** Only for schemes that carry several signatures (rotation). */
  rotation?: boolean;
  /** Only for these schemes (a provider's own handshake). */
  schemes?: readonly string[];
  /** The go-live claim it checks (seeds: plan, WhatsApp, Whop, Telegram, Stripe). */
  claim: string;
}

/** Probes run against each webhook receiver (the rest run once, against the HTTP surface). */
export const isReceiverProbe = (p: Pick<ProbeSpec, "family">): boolean =>
  p.family === "webhook" || p.family === "handshake";

export const PROBES: readonly ProbeSpec[] = [
  {
    id: "W1",
    family: "webhook",
    title: "valid delivery",
    sends: "a correctly signed event",
    expects: "2xx within the ack budget, processed once",
    safety: "writes",
    readBack: "uses",
    claim:
      "plan (seed 000) X.T-2: webhook receive p95 < 200 ms; Stripe app (004): processing time tracked",
  },
  {
    id: "W2",
    family: "webhook",
    title: "unsigned",
    sends: "the event with no signature header",
    expects: "4xx, not processed",
    safety: "readOnly",
    readBack: "uses",
    claim:
      'WhatsApp portal (001): "Signature validation path tersedia"; Stripe app (004): "Mandatory signature verification"',
  },
  {
    id: "W3",
    family: "webhook",
    title: "wrong signature",
    sends: "random, another key's, truncated, and the right MAC under another version tag",
    expects: "4xx for each, not processed",
    safety: "readOnly",
    readBack: "uses",
    claim:
      "WhatsApp portal (001): signature validation; Stripe app (004): mandatory signature verification",
  },
  {
    id: "W4",
    family: "webhook",
    title: "signature over another body",
    sends: "a valid signature of one body, with another body",
    expects: "4xx, not processed",
    safety: "readOnly",
    readBack: "uses",
    claim:
      'Stripe app (004): verification no longer "vulnerable to replay attacks"; WhatsApp portal (001): signature validation',
  },
  {
    id: "W5",
    family: "webhook",
    title: "timestamp tolerance",
    sends: "a timestamp just older than the tolerance, and one just inside it",
    expects: "4xx for the old one; 2xx for the one inside",
    safety: "writes",
    readBack: "uses",
    timestamped: true,
    claim:
      "Stripe app (004): replay protection (Stripe's 5-minute tolerance); Whop app (002): webhook handling",
  },
  {
    id: "W6",
    family: "webhook",
    title: "future timestamp",
    sends: "a timestamp beyond the tolerance in the future",
    expects: "as the scheme says: Stripe accepts it, the Standard Webhooks family rejects it",
    safety: "writes",
    readBack: "uses",
    timestamped: true,
    claim: "Whop app (002): webhook handling (Standard Webhooks rejects too-new timestamps)",
  },
  {
    id: "W7",
    family: "webhook",
    title: "non-canonical bytes",
    sends: "a validly signed body pretty-printed, with non-ASCII, @, \\/ and keys out of order",
    expects: "2xx (the receiver verifies the bytes it got, never a re-serialisation)",
    safety: "writes",
    readBack: "uses",
    claim:
      "WhatsApp portal (001): signature validation (Meta signs the bytes it sends, escaped unicode included)",
  },
  {
    id: "W8",
    family: "webhook",
    title: "key rotation",
    sends: "one invalid and one valid signature in one header",
    expects: "2xx",
    safety: "writes",
    readBack: "none",
    rotation: true,
    claim: "Stripe app (004): mandatory verification that survives secret rotation",
  },
  {
    id: "W9",
    family: "webhook",
    title: "byte-identical redelivery",
    sends: "the same delivery twice",
    expects: "2xx both times, processed once",
    safety: "writes",
    readBack: "needs",
    claim:
      'Stripe app (004): "StripeWebhookEvent table for idempotency (prevents duplicate processing)"; WhatsApp portal (001): "Webhook retry/replay dasar tersedia"',
  },
  {
    id: "W10",
    family: "webhook",
    title: "re-signed retry",
    sends: "the same event id re-signed with a new timestamp (what providers send on retry)",
    expects: "2xx, processed once",
    safety: "writes",
    readBack: "needs",
    claim:
      'Stripe app (004): idempotency on the event id; Whop app (002): "Incentives applied only once per case"',
  },
  {
    id: "W11",
    family: "webhook",
    title: "concurrent duplicates",
    sends: "10 identical deliveries at once",
    expects: "processed once",
    safety: "writes",
    readBack: "needs",
    claim:
      "Stripe app (004): idempotency table (no check-then-insert race); Whop app (002): applied only once",
  },
  {
    id: "W12",
    family: "webhook",
    title: "ack latency",
    sends: "20 valid deliveries, one after another",
    expects: "p95 within the ack budget",
    safety: "writes",
    readBack: "none",
    claim: 'plan (000) X.T-2: "p95 latency < 200ms webhook receive"',
  },
  {
    id: "W13",
    family: "webhook",
    title: "oversized body",
    sends: "a validly signed body past the receiver's limit (2 MiB by default)",
    expects: "4xx quickly, never 5xx or a timeout",
    safety: "readOnly",
    readBack: "none",
    claim:
      'Stripe app (004): "Protects infrastructure from automated attacks"; WhatsApp portal (001): webhook monitoring',
  },
  {
    id: "H1",
    family: "handshake",
    title: "Meta verification handshake",
    sends: "GET ?hub.mode=subscribe&hub.verify_token=<the token>&hub.challenge=<random>",
    expects: "200 with exactly the challenge (not JSON-quoted)",
    safety: "readOnly",
    readBack: "none",
    schemes: ["meta"],
    claim: 'WhatsApp portal (001): "Meta webhook handshake diuji", "Verify token flow tersedia"',
  },
  {
    id: "H2",
    family: "handshake",
    title: "Meta handshake refusals",
    sends: "the handshake with a wrong token, another mode, and no parameters",
    expects: "4xx for each, and never the challenge",
    safety: "readOnly",
    readBack: "none",
    schemes: ["meta"],
    claim:
      "WhatsApp portal (001): verify token from env WEBHOOK_VERIFY_TOKEN: only Meta, with it, subscribes the URL",
  },
  {
    id: "H3",
    family: "handshake",
    title: "LINE verify request",
    sends: 'the console\'s "Verify": a signed {"destination":…,"events":[]}',
    expects: "200",
    safety: "readOnly",
    readBack: "none",
    schemes: ["line"],
    claim:
      "plan (000) X.I-3: Curva's LineAccount set up on staging (the LINE console's Verify passes)",
  },
  {
    id: "A1",
    family: "auth",
    title: "credentials required",
    sends: "each configured protected route with no credentials",
    expects: "401 (or 403), never 2xx; a 401 without WWW-Authenticate is noted",
    safety: "readOnly",
    readBack: "none",
    claim:
      "Whop app (002): creator endpoints answer 401 without auth in production; plan (000) X.I-4: the DLQ board is protected",
  },
  {
    id: "A2",
    family: "auth",
    title: "JWT matrix",
    sends:
      "a valid bearer JWT, then forged, alg none, expired, not-yet-valid, wrong aud and iss, and empty ones",
    expects: "the valid one passes; every broken one 401 (or the configured 403)",
    safety: "readOnly",
    readBack: "none",
    claim:
      "plan (000) X.I-4: the DLQ board behind an admin JWT; Stripe app (004): auth on every sensitive route",
  },
  {
    id: "A3",
    family: "auth",
    title: "Telegram initData",
    sends:
      "initData signed with the bot token (HMAC with WebAppData), then with the user edited but the hash kept, an expired auth_date, none, and a bare X-Telegram-User-Id header",
    expects: "the valid one passes; every other one 401 or 403",
    safety: "readOnly",
    readBack: "none",
    claim:
      'Telegram wallet (003) F: "Verify initData hash with bot token", "Remove dependency on direct X-Telegram-User-Id header"',
  },
  {
    id: "A4",
    family: "auth",
    title: "tenant isolation",
    sends: "each configured object, read as its owner and then as another identity",
    expects: "the owner 2xx (the control); the other 403 or 404, never 2xx",
    safety: "readOnly",
    readBack: "none",
    claim:
      'Whop app (002) PR-004: "No open endpoints serving multi-tenant data"; plan (000) X.I-3: staging tenants',
  },
  {
    id: "A5",
    family: "auth",
    title: "roles",
    sends: "each configured role's credentials to the routes it must not reach",
    expects: "403 each (a 401 means the credentials were not taken at all)",
    safety: "readOnly",
    readBack: "none",
    claim:
      'WhatsApp portal (001): "Permission audit selesai untuk role admin, editor, dan agent", role-based test cases',
  },
  {
    id: "C1",
    family: "cors",
    title: "allowed origins",
    sends: "a preflight from each allowed origin, asking for the route's method and headers",
    expects:
      "2xx with exactly that origin, the method and headers allowed, credentials when configured, Vary: Origin",
    safety: "readOnly",
    readBack: "none",
    claim:
      "WhatsApp portal (001): CORS for the portal's origin; plan (000) X.I-2: LIFF pages call the API from their domain",
  },
  {
    id: "C2",
    family: "cors",
    title: "foreign origin",
    sends: "a preflight and a request from an unknown origin, with and without a Cookie",
    expects: "the origin never reflected in Access-Control-Allow-Origin",
    safety: "readOnly",
    readBack: "none",
    claim: 'Telegram wallet (003): "restrict origins to frontend domain + Telegram only"',
  },
  {
    id: "C3",
    family: "cors",
    title: "bypass origins",
    sends:
      "null, the allowed host as a prefix or suffix of another, _ and ` tricks, the http:// downgrade",
    expects: "none of them reflected",
    safety: "readOnly",
    readBack: "none",
    claim:
      "Telegram wallet (003): origins restricted (allow-lists that match by prefix or regex leak)",
  },
  {
    id: "C4",
    family: "cors",
    title: "no wildcard",
    sends: "a preflight from an allowed and from an unknown origin",
    expects: "Access-Control-Allow-Origin never *",
    safety: "readOnly",
    readBack: "none",
    claim: 'Telegram wallet (003): "allows https://web.telegram.org but never *"',
  },
  {
    id: "C5",
    family: "cors",
    title: "development origins",
    sends: "a preflight from each configured development origin",
    expects: "none reflected",
    safety: "readOnly",
    readBack: "none",
    claim: "WhatsApp portal (001), Whop app (002): production allows only production origins",
  },
  {
    id: "HC1",
    family: "health",
    title: "health answers",
    sends: "GET the health endpoint",
    expects: "2xx with a status field",
    safety: "readOnly",
    readBack: "none",
    claim: "Whop app (002): health with a database check; WhatsApp portal (001): health check",
  },
  {
    id: "HC2",
    family: "health",
    title: "readiness follows its dependency",
    sends:
      "readiness and liveness, then the profile's helper that takes a dependency down, both again, then the restore helper",
    expects:
      "readiness 2xx, then 503 while the dependency is down (liveness still 2xx), then 2xx again",
    safety: "outage",
    readBack: "none",
    claim:
      "Whop app (002) PR-010: the health endpoint verifies DB connectivity; plan (000): health that checks the database",
  },
  {
    id: "HC3",
    family: "health",
    title: "nothing leaks",
    sends: "GET the health endpoint and each critical route",
    expects: "no connection string, secret or environment dump in any answer",
    safety: "readOnly",
    readBack: "none",
    claim: "Stripe app (004): no secrets in responses; every seed: health is public",
  },
  {
    id: "HC4",
    family: "health",
    title: "critical routes up",
    sends: "GET each configured critical route",
    expects: "neither 5xx nor 404",
    safety: "readOnly",
    readBack: "none",
    claim: "Whop app (002): /discovery/services and /health never 5xx or 404",
  },
  {
    id: "S1",
    family: "status",
    title: "unimplemented is 501",
    sends: "each configured unbuilt route",
    expects: '501 (or 401/403 when gated), never a 2xx "coming soon"',
    safety: "readOnly",
    readBack: "none",
    claim: "Whop app (002): unfinished features answer 501",
  },
  {
    id: "S2",
    family: "status",
    title: "invalid input is 400",
    sends: "each configured invalid input",
    expects: "400 with a structured (JSON) error, never 5xx",
    safety: "readOnly",
    readBack: "none",
    claim: "Whop app (002): 400 on invalid input",
  },
  {
    id: "S3",
    family: "status",
    title: "wrong method is 405",
    sends: "each configured method a route does not take",
    expects: "405 with Allow",
    safety: "readOnly",
    readBack: "none",
    claim: "every seed: the API answers with the right status codes",
  },
  {
    id: "R1",
    family: "rateLimit",
    title: "limit enforced",
    sends: "a burst of at most limit + 5 requests inside the window (stopping at the window's end)",
    expects: "a 429 before the burst ends, with a valid Retry-After",
    safety: "burst",
    readBack: "none",
    claim:
      'Whop app (002): "429 with Retry-After"; WhatsApp portal (001): rate-limited login; Stripe app (004): Redis rate limits',
  },
  {
    id: "R2",
    family: "rateLimit",
    title: "limit headers",
    sends: "(reads R1's burst)",
    expects:
      "the configured X-Rate-Limit-* headers parse, remaining never rises; IETF RateLimit fields parse when sent",
    safety: "burst",
    readBack: "none",
    claim: "Whop app (002): X-Rate-Limit-Remaining and X-Rate-Limit-Reset",
  },
  {
    id: "R3",
    family: "rateLimit",
    title: "limit lifts",
    sends: "one request after R1's Retry-After (bounded by the window)",
    expects: "no longer 429",
    safety: "burst",
    readBack: "none",
    claim: "Whop app (002): Retry-After tells the truth",
  },
  {
    id: "T1",
    family: "https",
    title: "certificate and protocol",
    sends: "a TLS handshake with the https origin, then one offering only TLS 1.1 and older",
    expects:
      "a chain valid for the host, more than the configured days (21) left; TLS 1.1 and older refused",
    safety: "readOnly",
    readBack: "none",
    claim:
      'plan (000): "HTTPS green via Let\u2019s Encrypt", "Endpoint URL: HTTPS only"; WhatsApp portal (001): HTTPS constraints',
  },
  {
    id: "T2",
    family: "https",
    title: "http redirects to https",
    sends: "GET each configured path over http://",
    expects: "a redirect (301, 302, 307, 308) to the same host and path over https",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-1: "Endpoint URL: HTTPS only"',
  },
  {
    id: "T3",
    family: "https",
    title: "HSTS",
    sends: "GET each configured path over https://",
    expects: "Strict-Transport-Security with max-age at least 180 days",
    safety: "readOnly",
    readBack: "none",
    claim: "plan (000): shop.passkuru.com HTTPS only (X.I-1, X.I-2)",
  },
  {
    id: "T4",
    family: "pages",
    title: "cookies",
    sends: "GET each configured page",
    expects: "every SameSite=None cookie Secure; each session cookie HttpOnly",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-2: "SameSite=None; Secure cookies passed through"',
  },
  {
    id: "T5",
    family: "pages",
    title: "no mixed content",
    sends: "GET each configured page",
    expects: "no http:// script, stylesheet, image, frame or form target",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-2: "no mixed content"',
  },
  {
    id: "T6",
    family: "pages",
    title: "framing and sniffing",
    sends: "GET each configured page",
    expects: "X-Content-Type-Options: nosniff; frame-ancestors allowing each configured embedder",
    safety: "readOnly",
    readBack: "none",
    claim: "plan (000) X.I-1/X.I-2: the LIFF pages open inside LINE",
  },
  {
    id: "E1",
    family: "exposure",
    title: "metrics not public",
    sends: "GET the metrics endpoint anonymously, and as its reader when configured",
    expects: "anonymous 401, 403 or 404; the reader 2xx",
    safety: "readOnly",
    readBack: "none",
    claim:
      "Stripe app (004): 50+ Prometheus metrics at /api/metrics; plan (000): internal surfaces not open to the world",
  },
  {
    id: "E2",
    family: "exposure",
    title: "admin board closed",
    sends: "GET the admin board anonymously, as a non-admin, and as an admin",
    expects: "anonymous 401 or 403, the non-admin 403; the admin 2xx",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-4: "Mount at /admin/queues behind admin JWT"',
  },
];

/** The catalogue as probe/README.md's Markdown table (generated; `pnpm lint:docs` checks the copy). */
export function probeCatalogueTable(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const rows = PROBES.map((p) =>
    [
      p.id,
      p.title,
      p.sends,
      p.expects,
      {
        readOnly: "read-only",
        writes: "writes (non-production)",
        burst: "burst (never production)",
        outage: "outage (never production)",
      }[p.safety],
      { needs: "needs", uses: "uses", none: "no" }[p.readBack],
      p.claim,
    ]
      .map(cell)
      .join(" | "),
  );
  return [
    "| id | probe | sends | a correct receiver | safety | read-back | checks the claim |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r} |`),
  ].join("\n");
}
