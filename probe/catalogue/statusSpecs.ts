import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of status codes of the surface (S1–S3), as data. */
export const STATUS_SPECS: readonly ProbeSpec[] = [
  {
    id: "S1",
    family: "status",
    title: "unimplemented is 501",
    sends: "each configured unbuilt route",
    expects: '501 (or 401/403 when gated), never a 2xx "coming soon"',
    safety: "readOnly",
    readBack: "none",
    claim: "Whop app (002): unfinished features answer 501",
  },
  {
    id: "S2",
    family: "status",
    title: "invalid input is 400",
    sends: "each configured invalid input",
    expects: "400 with a structured (JSON) error, never 5xx",
    safety: "readOnly",
    readBack: "none",
    claim: "Whop app (002): 400 on invalid input",
  },
  {
    id: "S3",
    family: "status",
    title: "wrong method is 405",
    sends: "each configured method a route does not take",
    expects: "405 with Allow",
    safety: "readOnly",
    readBack: "none",
    claim: "every seed: the API answers with the right status codes",
  },
];
