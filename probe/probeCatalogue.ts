/**
 * The webhook probes as data: what each sends, what a correct receiver
 * does, how safe it is, and which claim of which go-live document it
 * checks. Ids are stable: reports, `--only`, `productionOptIn` and the
 * sign-off name probes by them. The README's catalogue is this table.
 */

/**
 * `readOnly`: a correct receiver changes nothing (it rejects the delivery);
 * `writes`: a correct receiver processes an event (needs a non-production
 * target, or an opt-in there).
 */
export type ProbeSafety = "readOnly" | "writes";

export interface ProbeSpec {
  id: string;
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

export const PROBES: readonly ProbeSpec[] = [
  {
    id: "W1",
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
    title: "ack latency",
    sends: "20 valid deliveries, one after another",
    expects: "p95 within the ack budget",
    safety: "writes",
    readBack: "none",
    claim: 'plan (000) X.T-2: "p95 latency < 200ms webhook receive"',
  },
  {
    id: "W13",
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
    title: "LINE verify request",
    sends: 'the console\'s "Verify": a signed {"destination":…,"events":[]}',
    expects: "200",
    safety: "readOnly",
    readBack: "none",
    schemes: ["line"],
    claim:
      "plan (000) X.I-3: Curva's LineAccount set up on staging (the LINE console's Verify passes)",
  },
];

/** The catalogue as the README's Markdown table (generated; `pnpm lint:docs` checks the copy). */
export function probeCatalogueTable(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const rows = PROBES.map((p) =>
    [
      p.id,
      p.title,
      p.sends,
      p.expects,
      p.safety === "readOnly" ? "read-only" : "writes (non-production)",
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
