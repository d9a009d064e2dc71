import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of rate limits (R1–R5), as data. */
export const RATE_LIMIT_SPECS: readonly ProbeSpec[] = [
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
    id: "R4",
    family: "rateLimit",
    title: "limit per identity",
    sends:
      "a burst as rateLimit.identity until 429 (at most limit + extra, inside the window), then one request as rateLimit.otherIdentity",
    expects: "the first identity limited (the control); the other one's request not 429",
    safety: "burst",
    readBack: "none",
    claim:
      'Stripe app (004): "Per-user, per-action limits"; Whop app (002): rate-limit keys per company (case_action:settings_<companyId>)',
  },
  {
    id: "R5",
    family: "rateLimit",
    title: "limiter fails closed",
    sends:
      "the limiter's store taken down through its helper, a burst of limit + extra, then the store restored (always)",
    expects: "at most `limit` let through: the rest 429 or refused (5xx); never an unlimited route",
    safety: "outage",
    readBack: "none",
    claim:
      'Stripe app (004): "Redis-based distributed rate limiting", "Graceful degradation if Redis unavailable" (degraded, never an open door)',
  },
];
