import { describe, expect, it } from "vitest";
import type { TargetProfile } from "./targetProfile.ts";
import { profileProblems } from "./validateProfile.ts";

describe("profileProblems", () => {
  it("names each bad key of a hand-written profile", () => {
    const profile = {
      name: "qa",
      production: false,
      services: { pasukuru: { url: "pasukuru.local", healthPath: "/health" } },
      databases: { pasukuru: { url: "mysql://x" }, curva: { url: "postgres://db/curva" } },
      queue: {
        redisUrl: "redis://r",
        prefix: "bull",
        name: "",
        deadLetters: { kind: "elsewhere" },
        jobId: () => "",
      },
      identity: { kind: "preProvisioned", lineUserId: "bob", memberId: "m1" },
      helpers: {},
      assertions: {},
      cleanup: [],
      sweep: { findRuns: [], findJobIds: [], removeRun: [] },
      secrets: [],
    } as unknown as TargetProfile;
    const problems = profileProblems(profile);
    expect(problems).toEqual(
      expect.arrayContaining([
        'targets.qa: services.pasukuru.url="pasukuru.local" is not a URL; expected a http: or https: URL.',
        "targets.qa: services.curva.url is missing; expected a http: or https: URL.",
        "targets.qa: databases.pasukuru.url uses mysql:; allowed: postgres:, postgresql:.",
        "targets.qa: queue.name is missing; the webhook queue's name, e.g. curva-webhook.",
        'targets.qa: queue.deadLetters must be { kind: "failedSet" } or { kind: "queue", name }.',
        'targets.qa: identity.lineUserId="bob" is not a LINE user id (U + 32 hex).',
        'targets.qa: helpers.createOrder.service is undefined; allowed: "pasukuru", "curva".',
        "targets.qa: assertions.webhookLogCount.text must be SQL.",
      ]),
    );
  });
});
