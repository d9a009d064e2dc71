import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of what must not be exposed (E1–E2), as data. */
export const EXPOSURE_SPECS: readonly ProbeSpec[] = [
  {
    id: "E1",
    family: "exposure",
    title: "metrics not public",
    sends: "GET the metrics endpoint anonymously, and as its reader when configured",
    expects: "anonymous 401, 403 or 404; the reader 2xx",
    safety: "readOnly",
    readBack: "none",
    claim:
      "Stripe app (004): 50+ Prometheus metrics at /api/metrics; plan (000): internal surfaces not open to the world",
  },
  {
    id: "E2",
    family: "exposure",
    title: "admin board closed",
    sends: "GET the admin board anonymously, as a non-admin, and as an admin",
    expects: "anonymous 401 or 403, the non-admin 403; the admin 2xx",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-4: "Mount at /admin/queues behind admin JWT"',
  },
];
