import type { Agent } from "undici";
import type { ProbeWebhook } from "../lib/config/probeProfile.ts";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import type { CheckResult } from "../lib/result/runResult.ts";
import { HANDSHAKE_PROBES } from "./handshakeProbes.ts";
import { probeCheck } from "./probeCheck.ts";
import { pause } from "./probeDelivery.ts";
import type { ProbeTarget } from "./probeSection.ts";
import { notApplicable } from "./probeSelection.ts";
import type { ProbeSpec } from "./probeSpec.ts";
import { processedReader } from "./processedReader.ts";
import { type ReceiverContext, SETTLE_MS } from "./receiverContext.ts";
import { WEBHOOK_PROBES } from "./webhookProbes.ts";

/**
 * Refused deliveries read back once more, SETTLE_MS after the receiver's
 * probes: one processed late (a receiver that answers 4xx and processes
 * from a queue anyway) fails the probe that sent it.
 */
async function lateProcessing(
  ctx: ReceiverContext,
  refusedBy: Map<string, number>,
  checks: CheckResult[],
): Promise<void> {
  const read = ctx.processed;
  if (!read || ctx.refused.length === 0 || ctx.signal?.aborted) return;
  await pause(SETTLE_MS, ctx.signal);
  if (ctx.signal?.aborted) return;
  for (const id of ctx.refused.splice(0)) {
    const n = await read(id);
    const at = refusedBy.get(id);
    const check = at === undefined ? undefined : checks[at];
    if (n === 0 || !check || check.status !== "passed") continue;
    checks[at as number] = {
      ...check,
      status: "failed",
      observed: `${check.observed}; processed ${n}× later`,
      hint: "The receiver refused the delivery but processed it anyway, after answering: it must verify before it enqueues or processes anything.",
      evidence: [
        ...(check.evidence ?? []),
        `read-back ${SETTLE_MS} ms after the receiver's probes: ${id} processed ${n}×`,
      ],
    };
  }
}

/**
 * Every selected webhook and handshake probe against one receiver, one at a
 * time, then the refused deliveries read back once more. A probe its
 * scheme leaves out is named in `notApplied` and the progress line.
 */
export async function runReceiver(
  target: ProbeTarget,
  name: string,
  receiver: ProbeWebhook,
  probes: readonly ProbeSpec[],
  options: {
    agent: Agent;
    connections: TargetConnections;
    runId: string;
    requestTimeoutMs: number;
    processTimeoutMs: number;
    signal?: AbortSignal;
    newEventId: () => string;
    progress: (message: string) => void;
    notApplied: Map<string, string[]>;
  },
): Promise<CheckResult[]> {
  const { signal } = options;
  const checks: CheckResult[] = [];
  /** Event id of a refused delivery → the index of the check that sent it. */
  const refusedBy = new Map<string, number>();
  // probeSectionProblems checked that the service exists.
  const service = target.services[receiver.service] as { url: string };
  const count = receiver.processedCount;
  const ctx: ReceiverContext = {
    name,
    receiver,
    url: `${service.url}${receiver.path}`,
    runId: options.runId,
    agent: options.agent,
    requestTimeoutMs: options.requestTimeoutMs,
    processTimeoutMs: options.processTimeoutMs,
    ...(signal ? { signal } : {}),
    newEventId: options.newEventId,
    refused: [],
    ...(target.production && target.probe.productionOptIn
      ? { inertEventType: target.probe.productionOptIn.inertEventType }
      : {}),
    ...(count
      ? {
          processed: processedReader(
            count,
            { target: target.name, receiver: name, runId: options.runId },
            {
              connections: options.connections,
              agent: options.agent,
              serviceUrl: (s) => target.services[s]?.url ?? "",
              requestTimeoutMs: options.requestTimeoutMs,
            },
          ),
        }
      : {}),
  };
  const skipped = probes.filter((spec) => notApplicable(spec, receiver.signing.scheme));
  if (skipped.length > 0)
    options.notApplied.set(
      name,
      skipped.map((spec) => spec.id),
    );
  options.progress(
    `probing ${name} (${receiver.signing.scheme}) at ${ctx.url}${skipped.length > 0 ? `; not for this scheme: ${skipped.map((spec) => `${spec.id} (${notApplicable(spec, receiver.signing.scheme)})`).join(", ")}` : ""}`,
  );
  for (const spec of probes) {
    if (skipped.includes(spec)) continue;
    const probe = WEBHOOK_PROBES[spec.id] ?? HANDSHAKE_PROBES[spec.id];
    if (!probe) throw new Error(`probe ${spec.id} has no implementation`);
    const refusedBefore = ctx.refused.length;
    checks.push(
      await probeCheck(
        `${spec.id} ${spec.title} (${name})`,
        probe.expected(ctx),
        () => probe.run(ctx),
        signal,
        `The probe itself failed against ${name}; the evidence says how far it got.`,
      ),
    );
    for (const id of ctx.refused.slice(refusedBefore)) refusedBy.set(id, checks.length - 1);
  }
  await lateProcessing(ctx, refusedBy, checks);
  return checks;
}
