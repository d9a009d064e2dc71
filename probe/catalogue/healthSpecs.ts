import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of health and readiness (HC1–HC4), as data. */
export const HEALTH_SPECS: readonly ProbeSpec[] = [
  {
    id: "HC1",
    family: "health",
    title: "health answers",
    sends: "GET the health endpoint",
    expects: "2xx with a status field",
    safety: "readOnly",
    readBack: "none",
    claim: "Whop app (002): health with a database check; WhatsApp portal (001): health check",
  },
  {
    id: "HC2",
    family: "health",
    title: "readiness follows its dependency",
    sends:
      "readiness and liveness, then the profile's helper that takes a dependency down, both again, then the restore helper",
    expects:
      "readiness 2xx, then 503 while the dependency is down (liveness still 2xx), then 2xx again",
    safety: "outage",
    readBack: "none",
    claim:
      "Whop app (002) PR-010: the health endpoint verifies DB connectivity; plan (000): health that checks the database",
  },
  {
    id: "HC3",
    family: "health",
    title: "nothing leaks",
    sends: "GET the health endpoint and each critical route",
    expects: "no connection string, secret or environment dump in any answer",
    safety: "readOnly",
    readBack: "none",
    claim: "Stripe app (004): no secrets in responses; every seed: health is public",
  },
  {
    id: "HC4",
    family: "health",
    title: "critical routes up, and saying so",
    sends: "GET each configured critical route (as its identity, when it names one)",
    expects:
      "neither 5xx nor 404; where the route declares what its body must say (a JSON pointer's value, or every element of a list), the body says it",
    safety: "readOnly",
    readBack: "none",
    claim:
      "Telegram wallet (003) A: /discovery/services and /health work, no 5xx or 404 (every listed service healthy)",
  },
];
