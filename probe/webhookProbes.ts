import type { ProbeTable } from "./receiverContext.ts";
import { RETRY_PROBES } from "./retryProbes.ts";
import { SIGNING_EDGE_PROBES } from "./signingEdgeProbes.ts";
import { WEBHOOK_SIGNATURE_PROBES } from "./webhookSignatureProbes.ts";

/**
 * The webhook probes (W1–W13) against one receiver, by id: what each signs
 * and sends, and how it judges the status and the read-back (probeCatalogue.ts
 * says what each sends and expects). One file per family.
 */
export const WEBHOOK_PROBES: ProbeTable = {
  ...WEBHOOK_SIGNATURE_PROBES,
  ...SIGNING_EDGE_PROBES,
  ...RETRY_PROBES,
};
