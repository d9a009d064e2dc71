/**
 * The webhook probes as data: what each sends, what a correct receiver
 * does, how safe it is, and which claim of which go-live document it
 * checks. Ids are stable: reports, `--only`, `productionOptIn` and the
 * sign-off name probes by them. probe/README.md's catalogue is this table.
 */
import type { ProbeSpec } from "./probeSpec.ts";
import { RECEIVER_PROBE_SPECS } from "./receiverProbeSpecs.ts";
import { SURFACE_PROBE_SPECS } from "./surfaceProbeSpecs.ts";

/** Every probe, the receiver's first (the data is by family: receiverProbeSpecs, surfaceProbeSpecs). */
export const PROBES: readonly ProbeSpec[] = [...RECEIVER_PROBE_SPECS, ...SURFACE_PROBE_SPECS];

/** The catalogue as probe/README.md's Markdown table (generated; `pnpm lint:docs` checks the copy). */
export function probeCatalogueTable(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const rows = PROBES.map((p) =>
    [
      p.id,
      p.title,
      p.sends,
      p.expects,
      {
        readOnly: "read-only",
        writes: "writes (non-production)",
        burst: "burst (never production)",
        outage: "outage (never production)",
      }[p.safety],
      { needs: "needs", uses: "uses", none: "no" }[p.readBack],
      p.claim,
    ]
      .map(cell)
      .join(" | "),
  );
  return [
    "| id | probe | sends | a correct receiver | safety | read-back | checks the claim |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r} |`),
  ].join("\n");
}
