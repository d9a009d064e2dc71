import type { Agent } from "undici";
import type { CheckResult } from "../lib/result/runResult.ts";
import { probeCheck } from "./probeCheck.ts";
import type { ProbeTarget } from "./probeSection.ts";
import type { ProbeSpec } from "./probeSpec.ts";
import type { SurfaceContext } from "./surfaceContext.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/** The HTTP surface probes, once a run; a probe whose part of probe.http is not configured is left out and named. */
export async function runSurface(
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
    checks.push(
      await probeCheck(
        `${spec.id} ${spec.title}`,
        probe.expected,
        () => probe.run(ctx),
        options.signal,
        "The probe itself failed; the evidence says how far it got.",
      ),
    );
  }
  return checks;
}
