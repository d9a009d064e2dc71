import { describe, expect, it } from "vitest";
import { coreProfile } from "../../testkit/coreProfile.ts";
import type { TargetProfile } from "./targetProfile.ts";
import { profileProblems } from "./validateProfile.ts";

describe("profileProblems (the core)", () => {
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
      'targets.qa: services.pasukuru.url="pasukuru.local" is not a URL; expected a http: or https: URL.',
      "targets.qa: services.curva.url is missing; expected a http: or https: URL.",
      "targets.qa: databases.pasukuru.url uses mysql:; allowed: postgres:, postgresql:.",
      'targets.qa: databases.curva.cleanupUrl="db/curva" is not a URL; expected a postgres: or postgresql: URL.',
      "targets.qa: queue.name is missing; the webhook queue's name, e.g. curva-webhook.",
      'targets.qa: queue.deadLetters must be { kind: "failedSet" } or { kind: "queue", name }.',
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
      "targets.qa: extra is not a profile key; allowed: services, databases, queue, secrets, smoke, load, sweep, probe, watch.",
      "targets.qa: queue.jobId is now smoke.webhookJobId(ids, lookup), which may also look the job up (async).",
    ]);
  });

  it("a target without a queue or any section is a valid core", () => {
    const profile = coreProfile("load-only");
    expect(profileProblems(profile)).toEqual([]);
  });
});
