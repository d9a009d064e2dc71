import type { Dispatcher } from "undici";
import type { ProbeWebhook } from "../lib/config/probeProfile.ts";
import type { CheckVerdict } from "../lib/timedCheck.ts";

/*
 * What one receiver's probes share (W and H): its context and the table
 * they are kept in. How a delivery is signed and sent is signedDelivery.ts;
 * the read-back and the two verdicts most probes reduce to (must be refused;
 * must be processed once) are receiverVerdicts.ts.
 */

/** What one receiver's probes share: where it is, how to sign for it, how to read back what it did. */
export interface ReceiverContext {
  /** The receiver's name in the profile (`probe.webhooks.<name>`). */
  name: string;
  receiver: ProbeWebhook;
  url: string;
  runId: string;
  agent: Dispatcher;
  requestTimeoutMs: number;
  /** How long a processed event may take to show in the read-back. */
  processTimeoutMs: number;
  signal?: AbortSignal;
  /** On a production target: the inert event type every write probe's event must have. */
  inertEventType?: string;
  /** A fresh event id that carries the run id (cleanup finds it by that). */
  newEventId(): string;
  /** How many times the receiver processed `eventId`; undefined when the profile has no read-back. */
  processed?(eventId: string): Promise<number>;
  /**
   * Event ids of deliveries refused with 4xx and unprocessed at once: read
   * back once more after the receiver's probes (a receiver that refuses and
   * processes later, from a queue, is caught there).
   */
  refused: string[];
}

export const ACK_BUDGET_MS = 200;
export const OVERSIZED_BYTES = 2 * 1024 * 1024;
/** A processed event is re-read after this long, so a second processing has time to show. */
export const SETTLE_MS = 300;
export const BURST = 10;
export const LATENCY_SAMPLES = 20;

export type ProbeRun = (ctx: ReceiverContext) => Promise<CheckVerdict>;

/** Probes by id: what each expects (for the report) and how it runs. */
export type ProbeTable = Record<
  string,
  { expected: (ctx: ReceiverContext) => string; run: ProbeRun }
>;
