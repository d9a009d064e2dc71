/*
 * Test support: what an example receiver (../exampleReceivers.ts) hands its
 * provider's check, and what the check says. One file per provider beside
 * this one, each verifying with the provider's official SDK from npm.
 */

export type Flaw =
  /** Verifies only when the signature header is there. */
  | "verifyIfPresent"
  /** Processes every delivery, redeliveries too. */
  | "noDedup"
  /** Verifies a re-serialisation of the parsed body, not the bytes received. */
  | "reserialize"
  /** Accepts a timestamp of any age. */
  | "noTolerance"
  /** Reads a body of any size. */
  | "noBodyLimit"
  /** Meta handshake: answers the challenge JSON-quoted. */
  | "handshakeQuoted"
  /** Meta handshake: answers whatever the token. */
  | "handshakeAnyToken"
  /** Answers 4xx to a bad signature, then processes the event anyway from its "queue", 100 ms later. */
  | "processRefusedLater";

/** One POST as the receiver read it. */
export interface Delivery {
  header(name: string): string | undefined;
  /** The bytes received, as text. */
  raw: string;
  /** What the signature is checked over: `raw`, or its re-serialisation under the `reserialize` flaw. */
  signed: string;
  secret: string;
  has(flaw: Flaw): boolean;
}

/** The event id to process once, or the status a refused delivery is answered with. */
export type Verdict = { eventId: string } | { status: number };

/** One provider's side of a receiver. */
export interface ProviderCheck {
  /** Where its webhooks are posted. */
  path: string;
  /** A fresh signing secret in the provider's format. */
  newSecret(): string;
  verify(delivery: Delivery): Verdict;
  /** The event id a delivery carries, read without verifying (what a careless queue consumer does). */
  eventIdOf(delivery: Delivery): string | undefined;
}

/** A JSON body, or undefined when it is not JSON. */
export function parsed<T>(raw: string): T | undefined {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

/** The body parsed and written again (what a receiver that verifies its parse signs over); `raw` when it is not JSON. */
export function reserialized(raw: string): string {
  const body = parsed<unknown>(raw);
  return body === undefined ? raw : JSON.stringify(body);
}
