import { describe, expect, it } from "vitest";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { probeSectionProblems } from "./probeSection.ts";

/*
 * A probe that would send nothing, or without bound, because of its config
 * is exit 2 naming the key, never a target failure (exit 1).
 */

const route = { service: "api", method: "POST" as const, path: "/login" };
const profileWith = (http: ProbeHttp): TargetProfile =>
  ({
    name: "t",
    production: false,
    services: { api: { url: "http://127.0.0.1:9" } },
    databases: {},
    secrets: [],
    probe: { http, cleanup: [] },
  }) as unknown as TargetProfile;

describe("probe.http numbers", () => {
  it.each([
    [
      "limit",
      { limit: 0, windowMs: 1000 },
      /rateLimit\.limit is 0: it must be the requests the window allows/,
    ],
    [
      "windowMs",
      { limit: 5, windowMs: 0 },
      /rateLimit\.windowMs is 0: it must be the window in ms/,
    ],
    ["extra negative", { limit: 5, windowMs: 1000, extra: -5 }, /rateLimit\.extra is -5/],
    ["extra a string", { limit: 5, windowMs: 1000, extra: "?" }, /rateLimit\.extra is "\?"/],
    ["limit fractional", { limit: 2.5, windowMs: 1000 }, /rateLimit\.limit is 2\.5/],
  ])("a rate limit with a nonsense %s is a config problem", (_name, numbers, message) => {
    const problems = probeSectionProblems(
      profileWith({ rateLimit: { ...route, ...(numbers as { limit: number; windowMs: number }) } }),
    );
    expect(problems.join("\n")).toMatch(message);
  });

  it("a healthy rate limit, and one with a large window, has no problem", () => {
    for (const numbers of [
      { limit: 1, windowMs: 1 },
      { limit: 100, windowMs: 3_600_000, extra: 1 },
    ])
      expect(probeSectionProblems(profileWith({ rateLimit: { ...route, ...numbers } }))).toEqual(
        [],
      );
  });

  it("iss or aud under jwt.claims without issuer/audience is named: those cases would be dropped", () => {
    const jwt = {
      ...route,
      key: { alg: "HS256" as const, secret: "s".repeat(32) },
      claims: { iss: "https://issuer.example", aud: "api", role: "user" },
    };
    const problems = probeSectionProblems(profileWith({ jwt }));
    expect(problems).toEqual([
      "targets.t: probe.http.jwt.claims.iss is set but probe.http.jwt.issuer is not: the wrong-iss case is sent only with issuer. Move it to probe.http.jwt.issuer.",
      "targets.t: probe.http.jwt.claims.aud is set but probe.http.jwt.audience is not: the wrong-aud case is sent only with audience. Move it to probe.http.jwt.audience.",
    ]);
    expect(
      probeSectionProblems(
        profileWith({ jwt: { ...jwt, issuer: "https://issuer.example", audience: "api" } }),
      ),
    ).toEqual([]);
  });
});
