import { setMaxListeners } from "node:events";
import { Agent } from "undici";
import { CLEANUP_DEFAULTS, cleanupRun, KEPT_DATA } from "../lib/cleanup/cleanupRun.ts";
import { type Heartbeat, runHeartbeat } from "../lib/cleanup/heartbeat.ts";
import { checkDependencies, serviceVersions } from "../lib/drivers/preflight.ts";
import { assertReachable } from "../lib/drivers/reachability.ts";
import { probeEventId, testUserDisplayName } from "../lib/drivers/runId.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { redactSecrets } from "../lib/redact.ts";
import {
  type CheckResult,
  type CleanupReport,
  finishRun,
  outcomeOf,
  type RunContext,
  type RunResult,
} from "../lib/result/runResult.ts";
import type { ProbeTarget } from "./probeSection.ts";
import { assertSomethingApplies, leftOutReasons, selectProbes } from "./probeSelection.ts";
import { isReceiverProbe } from "./probeSpec.ts";
import { runReceiver } from "./runReceiver.ts";
import { runSurface } from "./runSurface.ts";

export interface ProbeOptions {
  /** Probe ids to run (`--only W2,W5`); all when absent. */
  only?: readonly string[];
  /** How long one delivery may take to be answered. */
  requestTimeoutMs: number;
  /** How long a processed event may take to show in the read-back. */
  timeoutMs: number;
  keepData: boolean;
  /** Given --confirm-production: a production target's opted-in write probes may run. */
  confirmProduction: boolean;
  cleanupTimeoutMs?: number;
}

/**
 * The probe suite: preflight, then every selected probe against every
 * receiver of the profile's probe section, one at a time (W11's burst is
 * its own), then cleanup by run id in `finally`. Throws
 * DependencyUnreachableError before sending anything when a dependency is
 * down, ConfigError when a probe may not run against this target.
 */
export async function runProbe(
  target: ProbeTarget,
  run: RunContext,
  options: ProbeOptions,
): Promise<RunResult> {
  const { probes, leftOut } = selectProbes(target, options);
  assertSomethingApplies(target, probes, leftOut);
  const connections = new TargetConnections(target);
  // The deliveries' own pool: W11's burst goes out at once, not queued behind the run's 8 sockets.
  const deliveries = new Agent({ connections: 32, keepAliveTimeout: 2_000 });
  const { signal } = run;
  // Each delivery of a burst listens for Ctrl-C while it is open: more than Node's default 10 at once.
  if (signal) setMaxListeners(64, signal);
  const progress = run.onProgress ?? (() => {});
  const stages = { preflight: 0, probes: 0, cleanup: 0 };
  const checks: CheckResult[] = [];
  /** Per receiver, the probes its scheme leaves out (the scheme's facts say why: docs/webhook-signing.md). */
  const notApplied = new Map<string, string[]>();
  let sent = 0;
  let targetVersions: Record<string, string> = {};
  let heartbeat: Heartbeat | undefined;
  let interrupted = false;
  let cleanup: CleanupReport = KEPT_DATA;
  try {
    let mark = performance.now();
    const dependencies = await checkDependencies(target, connections);
    assertReachable(dependencies);
    targetVersions = serviceVersions(dependencies);
    heartbeat = target.queue ? await runHeartbeat(connections, run.runId) : undefined;
    stages.preflight = Math.round(performance.now() - mark);
    progress(`run ${run.runId}: ${dependencies.length} dependencies reachable`);
    try {
      mark = performance.now();
      const receiverProbes = probes.filter(isReceiverProbe);
      for (const [name, receiver] of Object.entries(target.probe.webhooks ?? {})) {
        checks.push(
          ...(await runReceiver(target, name, receiver, receiverProbes, {
            agent: deliveries,
            connections,
            runId: run.runId,
            requestTimeoutMs: options.requestTimeoutMs,
            processTimeoutMs: options.timeoutMs,
            ...(signal ? { signal } : {}),
            newEventId: () => probeEventId(run.runId, ++sent),
            progress,
            notApplied,
          })),
        );
      }
      const surface = probes.filter((p) => !isReceiverProbe(p));
      if (surface.length > 0) {
        checks.push(
          ...(await runSurface(target, surface, {
            agent: deliveries,
            requestTimeoutMs: options.requestTimeoutMs,
            ...(signal ? { signal } : {}),
            progress,
            notApplied,
          })),
        );
      }
      stages.probes = Math.round(performance.now() - mark);
      interrupted = signal?.aborted === true;
      run.onVerdict?.(outcomeOf(checks, interrupted));
    } finally {
      if (!options.keepData) {
        progress(`cleaning up run ${run.runId}`);
        cleanup = await cleanupRun(connections, {
          statements: target.probe.cleanup,
          args: { runId: run.runId, displayName: testUserDisplayName(run.runId) },
          boundMs: options.cleanupTimeoutMs ?? CLEANUP_DEFAULTS.totalMs,
          sweepCommand: run.sweepCommand ?? `harness sweep --target ${target.name} --older-than 1s`,
        });
        stages.cleanup = cleanup.durationMs;
      }
    }
  } finally {
    await heartbeat?.stop();
    await connections.close();
    await deliveries.destroy().catch(() => {});
  }
  const secrets = [
    ...target.secrets,
    ...(target.probe.http?.jwt ? [target.probe.http.jwt.key.secret] : []),
    ...Object.values(target.probe.webhooks ?? {}).flatMap((w) => [
      w.signing.secret,
      ...(w.verifyToken ? [w.verifyToken] : []),
    ]),
  ];
  return finishRun(
    run,
    target,
    {
      options: {
        probes: probes.map((p) => p.id).join(","),
        ...(leftOut.length > 0 ? { notRunOnProduction: leftOutReasons(leftOut) } : {}),
        ...(notApplied.size > 0
          ? {
              notApplicable: [...notApplied]
                .map(([receiver, ids]) => `${receiver}: ${ids.join(",")}`)
                .join("; "),
            }
          : {}),
        requestTimeoutMs: options.requestTimeoutMs,
        timeoutMs: options.timeoutMs,
        keepData: options.keepData,
      },
      checks,
      testData: { deliveries: String(sent) },
      cleanup,
      stages,
      targetVersions,
      interrupted,
    },
    (text) => redactSecrets(text, secrets),
  );
}
