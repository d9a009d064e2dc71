import { describe, expect, it } from "vitest";
import { coreProfile } from "../../testkit/coreProfile.ts";
import { jointCoreProblems } from "./jointCoreProblems.ts";
import type { TargetProfile } from "./targetProfile.ts";
import { profileProblems } from "./validateProfile.ts";

describe("profileProblems (the core)", () => {
  it("a core may name any services and no databases (a one-app probe target); the joint suites ask for theirs", () => {
    const oneApp = {
      name: "shop",
      production: false,
      services: { app: { url: "http://127.0.0.1:3000", healthPath: "/api/health" } },
      databases: {},
      secrets: [],
    } as unknown as TargetProfile;
    expect(profileProblems(oneApp)).toEqual([]);
    expect(jointCoreProblems(oneApp, "smoke")).toEqual([
      "targets.shop: services.pasukuru is missing: the smoke drives the Curva × Pasukuru integration and needs both services (pasukuru, curva).",
      "targets.shop: services.curva is missing: the smoke drives the Curva × Pasukuru integration and needs both services (pasukuru, curva).",
      "targets.shop: databases.pasukuru is missing: the smoke reads both services' databases (pasukuru, curva).",
      "targets.shop: databases.curva is missing: the smoke reads both services' databases (pasukuru, curva).",
    ]);
    expect(profileProblems({ ...oneApp, services: {} })).toEqual([
      "targets.shop: services names no service: add at least one, e.g. { app: { url, healthPath } }.",
    ]);
  });

  it("names each bad key of a hand-written profile's core", () => {
    const profile = {
      name: "qa",
      production: false,
      services: { pasukuru: { url: "pasukuru.local", healthPath: "/health" } },
      databases: {
        pasukuru: { url: "mysql://x" },
        curva: { url: "postgres://db/curva", cleanupUrl: "db/curva" },
      },
      queue: {
        redisUrl: "redis://r",
        prefix: "bull",
        name: "",
        deadLetters: { kind: "elsewhere" },
      },
      secrets: [],
    } as unknown as TargetProfile;
    expect(profileProblems(profile)).toEqual([
      'targets.qa: services.pasukuru.url is "pasukuru.local": it is not a URL; expected a http: or https: URL.',
      "targets.qa: databases.pasukuru.url uses mysql:; allowed: postgres:, postgresql:.",
      'targets.qa: databases.curva.cleanupUrl is "db/curva": it is not a URL; expected a postgres: or postgresql: URL.',
      'targets.qa: queue.name is "": it must be the webhook queue\'s name, e.g. curva-webhook.',
      'targets.qa: queue.deadLetters.kind must be { kind: "failedSet" } or { kind: "queue", name }.',
    ]);
  });

  it("says where the keys of the first, flat profile shape live now", () => {
    const flat = {
      ...coreProfile(),
      queue: {
        redisUrl: "redis://r",
        prefix: "bull",
        name: "q",
        deadLetters: { kind: "failedSet" },
        jobId: () => "",
      },
      helpers: {},
      assertions: {},
      extra: 1,
    } as unknown as TargetProfile;
    expect(profileProblems(flat)).toEqual([
      "targets.qa: helpers now lives in the smoke section: write it as smoke.helpers.",
      "targets.qa: assertions now lives in the smoke section: write it as smoke.assertions.",
      "targets.qa: queue.jobId is now smoke.webhookJobId(ids, lookup), which may also look the job up (async).",
      "targets.qa: `extra` is not a key. Known here: services, databases, queue, secrets, smoke, load, sweep, watch, probe, production.",
    ]);
  });

  it("a target without a queue or any section is a valid core", () => {
    const profile = coreProfile("load-only");
    expect(profileProblems(profile)).toEqual([]);
  });
});
