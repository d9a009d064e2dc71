import type { JointProfile } from "../lib/config/targetProfile.ts";

/** Test support: a valid profile core of the joint shape (no queue, no sections) for validator tests to extend. */
export function coreProfile(name = "qa"): JointProfile {
  return {
    name,
    production: false,
    services: {
      pasukuru: { url: "http://127.0.0.1:4020", healthPath: "/health" },
      curva: { url: "http://127.0.0.1:4030", healthPath: "/health" },
    },
    databases: { pasukuru: { url: "postgres://db/p" }, curva: { url: "postgres://db/c" } },
    secrets: [],
  };
}
