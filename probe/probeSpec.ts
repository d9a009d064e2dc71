/** What one probe of the catalogue is: its id, family, what it sends and expects, its safety class and claim. */

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
