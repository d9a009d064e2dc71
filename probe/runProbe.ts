import { setMaxListeners } from "node:events";
import { Agent } from "undici";
import { CLEANUP_DEFAULTS, cleanupRun, KEPT_DATA } from "../lib/cleanup/cleanupRun.ts";
import { type Heartbeat, runHeartbeat } from "../lib/cleanup/heartbeat.ts";
import { checkDependencies, serviceVersions } from "../lib/drivers/preflight.ts";
import { assertReachable } from "../lib/drivers/reachability.ts";
import { probeEventId, testUserDisplayName } from "../lib/drivers/runId.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { ConfigError } from "../lib/errors.ts";
import { redactSecrets } from "../lib/redact.ts";
import {
  type CheckResult,
  type CleanupReport,
  finishRun,
  outcomeOf,
  type RunContext,
  type RunResult,
} from "../lib/result/runResult.ts";
import { skippedCheck, timedCheck } from "../lib/timedCheck.ts";
import { SCHEMES } from "../lib/webhookSigning.ts";
import { PROBES, type ProbeSpec } from "./probeCatalogue.ts";
import type { ProbeTarget } from "./probeSection.ts";
import { SURFACE_PROBES, type SurfaceContext } from "./surfaceProbes.ts";
import {
  HANDSHAKE_PROBES,
  pause,
  type ReceiverContext,
  SETTLE_MS,
  WEBHOOK_PROBES,
} from "./webhookProbes.ts";

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

/** The probes this run sends, and those it leaves out on a production target (with why). */
function selectProbes(
  target: ProbeTarget,
  options: Pick<ProbeOptions, "only" | "confirmProduction">,
): { probes: ProbeSpec[]; leftOut: string[] } {
  const unknown = (options.only ?? []).filter((id) => !PROBES.some((p) => p.id === id));
  if (unknown.length > 0)
    throw new ConfigError(
      [
        `--only names ${unknown.join(", ")}: not a probe. Known: ${PROBES.map((p) => p.id).join(", ")}.`,
      ],
      "Usage error",
    );
  const asked = options.only ? PROBES.filter((p) => options.only?.includes(p.id)) : [...PROBES];
  if (!target.production) return { probes: asked, leftOut: [] };
  const optIn = new Set(target.probe.productionOptIn?.probes ?? []);
  // Bursts never run against production, opt-in or not.
  const allowed = (p: ProbeSpec) =>
    p.safety === "readOnly" ||
    (p.safety === "writes" && options.confirmProduction && optIn.has(p.id));
  const refused = asked.filter((p) => !allowed(p));
  if (options.only && refused.length > 0) {
    const writes = refused.filter((p) => p.safety === "writes");
    const bursts = refused.filter((p) => p.safety === "burst");
    throw new ConfigError(
      [
        ...(writes.length > 0
          ? [
              `--target ${target.name} is production: ${writes.map((p) => p.id).join(", ")} ${writes.length === 1 ? "writes" : "write"} to it (a correct receiver processes the event). ` +
                `To run ${writes.length === 1 ? "it" : "them"} there, name ${writes.length === 1 ? "it" : "them"} in targets.${target.name}.probe.productionOptIn.probes (with its inertEventType) and pass --confirm-production; read-only probes need neither.`,
            ]
          : []),
        ...(bursts.length > 0
          ? [
              `--target ${target.name} is production: ${bursts.map((p) => p.id).join(", ")} ${bursts.length === 1 ? "bursts" : "burst"} requests at it, which never runs against production (no opt-in): run ${bursts.length === 1 ? "it" : "them"} against staging.`,
            ]
          : []),
      ],
      "Refusing to write to production",
    );
  }
  return {
    probes: asked.filter(allowed),
    leftOut: refused.map((p) => p.id),
  };
}

/** Why a probe does not apply to a receiver's scheme; undefined when it does. */
function notApplicable(spec: ProbeSpec, scheme: keyof typeof SCHEMES): string | undefined {
  if (spec.timestamped && SCHEMES[scheme].toleranceSec === null)
    return `${scheme} signs no timestamp`;
  if (spec.rotation && !SCHEMES[scheme].rotation) return `${scheme} carries one signature`;
  if (spec.schemes && !spec.schemes.includes(scheme))
    return `a ${spec.schemes.join("/")} handshake, not ${scheme}'s`;
  return undefined;
}

/** The HTTP surface probes, once a run; a probe whose part of probe.http is not configured is left out and named. */
async function runSurface(
  target: ProbeTarget,
  specs: readonly ProbeSpec[],
  options: {
    agent: Agent;
    requestTimeoutMs: number;
    signal?: AbortSignal;
    progress: (message: string) => void;
    notApplied: Map<string, string[]>;
  },
): Promise<CheckResult[]> {
  const http = target.probe.http ?? {};
  const ctx: SurfaceContext = {
    http,
    urlOf: (service, path) => `${(target.services[service] as { url: string }).url}${path}`,
    agent: options.agent,
    requestTimeoutMs: options.requestTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    secrets: target.secrets,
    memo: new Map(),
  };
  const runnable = specs.filter((spec) => !SURFACE_PROBES[spec.id]?.missing(http));
  const left = specs.filter((spec) => !runnable.includes(spec));
  if (left.length > 0)
    options.notApplied.set(
      "http",
      left.map((spec) => spec.id),
    );
  options.progress(
    `probing the HTTP surface${left.length > 0 ? `; not configured: ${left.map((spec) => `${spec.id} (${SURFACE_PROBES[spec.id]?.missing(http)})`).join(", ")}` : ""}`,
  );
  const checks: CheckResult[] = [];
  for (const spec of runnable) {
    const probe = SURFACE_PROBES[spec.id];
    if (!probe) throw new Error(`probe ${spec.id} has no implementation`);
    const name = `${spec.id} ${spec.title}`;
    if (options.signal?.aborted) {
      checks.push(skippedCheck(name, probe.expected, "interrupted before this probe ran"));
      continue;
    }
    const verdict = await timedCheck(
      name,
      probe.expected,
      () => probe.run(ctx),
      "The probe itself failed; the evidence says how far it got.",
    );
    checks.push(
      options.signal?.aborted && verdict.status !== "passed"
        ? {
            ...verdict,
            status: "skipped",
            hint: "Interrupted while this probe ran: it proves nothing either way.",
          }
        : verdict,
    );
  }
  return checks;
}

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
  // Fail closed: a run that sends nothing must not pass.
  if (probes.length === 0)
    throw new ConfigError(
      [
        `Nothing to probe on ${target.name}: every probe asked for writes to this production target (${leftOut.join(", ")}); run the read-only ones, or opt in (probe.productionOptIn and --confirm-production).`,
      ],
      "Usage error",
    );
  const applicable = [
    ...Object.values(target.probe.webhooks ?? {}).flatMap((w) =>
      probes.filter(
        (p) =>
          (p.family === "webhook" || p.family === "handshake") &&
          !notApplicable(p, w.signing.scheme),
      ),
    ),
    ...probes.filter(
      (p) =>
        p.family !== "webhook" &&
        p.family !== "handshake" &&
        !SURFACE_PROBES[p.id]?.missing(target.probe.http ?? {}),
    ),
  ];
  if (applicable.length === 0)
    throw new ConfigError(
      [
        `Nothing to probe on ${target.name}: ${probes.map((p) => p.id).join(", ")} ${probes.length === 1 ? "does" : "do"} not apply to its receivers' schemes or to what its probe.http configures. Pick probes that do (--only), or configure what they need.`,
      ],
      "Usage error",
    );
  const connections = new TargetConnections(target);
  // The deliveries' own pool: W11's burst goes out at once, not queued behind the run's 8 sockets.
  const deliveries = new Agent({ connections: 32, keepAliveTimeout: 2_000 });
  const { signal } = run;
  // Each delivery of a burst listens for Ctrl-C while it is open: more than Node's default 10 at once.
  if (signal) setMaxListeners(64, signal);
  const progress = run.onProgress ?? (() => {});
  const stages = { preflight: 0, probes: 0, cleanup: 0 };
  const checks: CheckResult[] = [];
  /** Event id of a refused delivery → the index of the check that sent it. */
  const refusedBy = new Map<string, number>();
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
      const receiverProbes = probes.filter(
        (p) => p.family === "webhook" || p.family === "handshake",
      );
      for (const [name, receiver] of Object.entries(target.probe.webhooks ?? {})) {
        // probeSectionProblems checked that the service exists.
        const service = target.services[receiver.service] as { url: string };
        const count = receiver.processedCount;
        const ctx: ReceiverContext = {
          name,
          receiver,
          url: `${service.url}${receiver.path}`,
          runId: run.runId,
          agent: deliveries,
          requestTimeoutMs: options.requestTimeoutMs,
          processTimeoutMs: options.timeoutMs,
          ...(signal ? { signal } : {}),
          newEventId: () => probeEventId(run.runId, ++sent),
          refused: [],
          ...(target.production && target.probe.productionOptIn
            ? { inertEventType: target.probe.productionOptIn.inertEventType }
            : {}),
          ...(count
            ? {
                processed: async (eventId: string) => {
                  const { rows } = await connections.query(count, { eventId, runId: run.runId });
                  const value = Number((rows[0] as { count?: unknown } | undefined)?.count);
                  // A statement that reads no count would make every refusal look unprocessed.
                  if (rows.length !== 1 || !Number.isInteger(value) || value < 0)
                    throw new ConfigError([
                      `targets.${target.name}: probe.webhooks.${name}.processedCount must return one row with an integer count column; it returned ${JSON.stringify(rows).slice(0, 160)}.`,
                    ]);
                  return value;
                },
              }
            : {}),
        };
        const skipped = receiverProbes.filter((spec) =>
          notApplicable(spec, receiver.signing.scheme),
        );
        if (skipped.length > 0)
          notApplied.set(
            name,
            skipped.map((spec) => spec.id),
          );
        progress(
          `probing ${name} (${receiver.signing.scheme}) at ${ctx.url}${skipped.length > 0 ? `; not for this scheme: ${skipped.map((spec) => `${spec.id} (${notApplicable(spec, receiver.signing.scheme)})`).join(", ")}` : ""}`,
        );
        for (const spec of receiverProbes) {
          const checkName = `${spec.id} ${spec.title} (${name})`;
          if (skipped.includes(spec)) continue;
          const probe = WEBHOOK_PROBES[spec.id] ?? HANDSHAKE_PROBES[spec.id];
          if (!probe) throw new Error(`probe ${spec.id} has no implementation`);
          if (signal?.aborted) {
            checks.push(
              skippedCheck(checkName, probe.expected(ctx), "interrupted before this probe ran"),
            );
            continue;
          }
          const refusedBefore = ctx.refused.length;
          const verdict = await timedCheck(
            checkName,
            probe.expected(ctx),
            () => probe.run(ctx),
            `The probe itself failed against ${name}; the evidence says how far it got.`,
          );
          // A delivery cut short by Ctrl-C proves nothing either way: skipped, never blamed on the target.
          checks.push(
            signal?.aborted && verdict.status !== "passed"
              ? {
                  ...verdict,
                  status: "skipped",
                  hint: "Interrupted while this probe ran: its last delivery was cut short, so it proves nothing either way.",
                }
              : verdict,
          );
          for (const id of ctx.refused.slice(refusedBefore)) refusedBy.set(id, checks.length - 1);
        }
        await lateProcessing(ctx, refusedBy, checks);
      }
      const surface = probes.filter((p) => p.family !== "webhook" && p.family !== "handshake");
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
        // Which were left out on production, and why: writes need an opt-in, bursts never run there.
        ...(leftOut.length > 0
          ? {
              notRunOnProduction: (["writes", "burst"] as const)
                .map((safety) => {
                  const ids = leftOut.filter(
                    (id) => PROBES.find((p) => p.id === id)?.safety === safety,
                  );
                  return ids.length > 0
                    ? `${ids.join(",")} (${safety === "writes" ? "write: not opted in" : "bursts never run on production"})`
                    : "";
                })
                .filter(Boolean)
                .join("; "),
            }
          : {}),
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
