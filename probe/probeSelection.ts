import { ConfigError } from "../lib/errors.ts";
import { SCHEMES } from "../lib/webhookSchemes.ts";
import { PROBES } from "./probeCatalogue.ts";
import type { ProbeTarget } from "./probeSection.ts";
import { isReceiverProbe, type ProbeSpec } from "./probeSpec.ts";
import { SURFACE_PROBES } from "./surfaceProbes.ts";

/*
 * Which probes a run sends: the ones asked for (--only), minus what a
 * production target may not take, and of those the ones that apply to the
 * profile (a receiver's scheme, what probe.http configures).
 */

/** The probes this run sends, and those it leaves out on a production target (with why). */
export function selectProbes(
  target: ProbeTarget,
  options: { only?: readonly string[]; confirmProduction: boolean },
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
  // Bursts and outages never run against production, opt-in or not.
  const allowed = (p: ProbeSpec) =>
    p.safety === "readOnly" ||
    (p.safety === "writes" && options.confirmProduction && optIn.has(p.id));
  const refused = asked.filter((p) => !allowed(p));
  if (options.only && refused.length > 0) {
    const writes = refused.filter((p) => p.safety === "writes");
    const bursts = refused.filter((p) => p.safety === "burst");
    const outages = refused.filter((p) => p.safety === "outage");
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
        ...(outages.length > 0
          ? [
              `--target ${target.name} is production: ${outages.map((p) => p.id).join(", ")} ${outages.length === 1 ? "takes" : "take"} one of its dependencies down, which never runs against production (no opt-in): run ${outages.length === 1 ? "it" : "them"} against staging.`,
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
export function notApplicable(spec: ProbeSpec, scheme: keyof typeof SCHEMES): string | undefined {
  if (spec.timestamped && SCHEMES[scheme].toleranceSec === null)
    return `${scheme} signs no timestamp`;
  if (spec.rotation && !SCHEMES[scheme].rotation) return `${scheme} carries one signature`;
  if (spec.schemes && !spec.schemes.includes(scheme))
    return `a ${spec.schemes.join("/")} handshake, not ${scheme}'s`;
  return undefined;
}

/** Fail closed: a run that would send nothing, or judge nothing, is exit 2 before anything is sent. */
export function assertSomethingApplies(
  target: ProbeTarget,
  probes: readonly ProbeSpec[],
  leftOut: readonly string[],
): void {
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
      probes.filter((p) => isReceiverProbe(p) && !notApplicable(p, w.signing.scheme)),
    ),
    ...probes.filter(
      (p) => !isReceiverProbe(p) && !SURFACE_PROBES[p.id]?.missing(target.probe.http ?? {}),
    ),
  ];
  if (applicable.length === 0)
    throw new ConfigError(
      [
        `Nothing to probe on ${target.name}: ${probes.map((p) => p.id).join(", ")} ${probes.length === 1 ? "does" : "do"} not apply to its receivers' schemes or to what its probe.http configures. Pick probes that do (--only), or configure what they need.`,
      ],
      "Usage error",
    );
}

/** The report's account of what production left out, and why: writes need an opt-in, bursts and outages never run there. */
export function leftOutReasons(leftOut: readonly string[]): string {
  const why = {
    writes: "write: not opted in",
    burst: "bursts never run on production",
    outage: "outages never run on production",
  } as const;
  return (["writes", "burst", "outage"] as const)
    .map((safety) => {
      const ids = leftOut.filter((id) => PROBES.find((p) => p.id === id)?.safety === safety);
      return ids.length > 0 ? `${ids.join(",")} (${why[safety]})` : "";
    })
    .filter(Boolean)
    .join("; ");
}
