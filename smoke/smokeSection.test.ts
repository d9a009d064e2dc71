import { describe, expect, it } from "vitest";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";
import { coreProfile } from "../testkit/coreProfile.ts";
import { requireSmokeTarget, smokeSectionProblems } from "./smokeSection.ts";

const core = coreProfile();

describe("smokeSectionProblems", () => {
  it("a target with no smoke section says so, and what the section holds", () => {
    expect(smokeSectionProblems(core)).toEqual([
      "targets.qa: queue is missing; the smoke watches the webhook queue ({ redisUrl, prefix, name, deadLetters }).",
      "targets.qa: smoke is missing: this target has no smoke section (identity, helpers, webhookJobId, assertions, cleanup). Add one, or pick another target.",
    ]);
    expect(() => requireSmokeTarget(core)).toThrow(ConfigError);
  });

  it("names each bad key of a hand-written smoke section", () => {
    const profile = {
      ...core,
      queue: {
        redisUrl: "redis://r",
        prefix: "bull",
        name: "q",
        deadLetters: { kind: "failedSet" },
      },
      smoke: {
        identity: { kind: "preProvisioned", lineUserId: "bob", memberId: "m1" },
        helpers: {},
        webhookJobId: "eventId",
        assertions: {},
        cleanup: [],
      },
    } as unknown as TargetProfile;
    expect(smokeSectionProblems(profile)).toEqual(
      expect.arrayContaining([
        'targets.qa: smoke.identity.lineUserId is "bob": it is not a LINE user id (U + 32 hex).',
        "targets.qa: smoke.helpers.createOrder is missing: it must be an object { service, method, path, headers, body, read }.",
        'targets.qa: smoke.webhookJobId is "eventId": it must be a function (ids, lookup) => this run\'s webhook job id, once there is one.',
        "targets.qa: smoke.assertions.webhookLogCount is missing: it must be an object { database, text, values }.",
      ]),
    );
  });
});
