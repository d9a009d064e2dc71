/**
 * The webhook probes as data: what each sends, what a correct receiver
 * does, how safe it is, and which claim of which go-live document it
 * checks. Ids are stable: reports, `--only`, `productionOptIn` and the
 * sign-off name probes by them. probe/README.md's catalogue is this table.
 */
import { AUTH_SPECS } from "./catalogue/authSpecs.ts";
import { CORS_SPECS } from "./catalogue/corsSpecs.ts";
import { EXPOSURE_SPECS } from "./catalogue/exposureSpecs.ts";
import { HANDSHAKE_SPECS } from "./catalogue/handshakeSpecs.ts";
import { HEALTH_SPECS } from "./catalogue/healthSpecs.ts";
import { HTTPS_SPECS } from "./catalogue/httpsSpecs.ts";
import { PAGES_SPECS } from "./catalogue/pagesSpecs.ts";
import { RATE_LIMIT_SPECS } from "./catalogue/rateLimitSpecs.ts";
import { STATUS_SPECS } from "./catalogue/statusSpecs.ts";
import { WEBHOOK_SPECS } from "./catalogue/webhookSpecs.ts";
import type { ProbeSpec } from "./probeSpec.ts";

/**
 * Every probe, in the catalogue's order: those run against each webhook
 * receiver first (W, H), then those run once against the HTTP surface.
 * The data is one file per family, in probe/catalogue/.
 */
export const PROBES: readonly ProbeSpec[] = [
  ...WEBHOOK_SPECS,
  ...HANDSHAKE_SPECS,
  ...AUTH_SPECS,
  ...CORS_SPECS,
  ...HEALTH_SPECS,
  ...STATUS_SPECS,
  ...RATE_LIMIT_SPECS,
  ...HTTPS_SPECS,
  ...PAGES_SPECS,
  ...EXPOSURE_SPECS,
];

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
