import { describe, expect, it } from "vitest";
import { nearestKey } from "../nearestKey.ts";
import { profileProblems } from "../validateProfile.ts";
import { harnessConfigSchema } from "./configSchema.ts";
import { schemaProblems } from "./schemaProblems.ts";

/** The unknown-key problems of a profile (its other problems are other tests'). */
const unknownKeys = (profile: object, name: string) =>
  profileProblems({ ...profile, name }).filter((p) => p.includes("is not a key"));

describe("unknown keys in a config file are errors, with their place and the nearest known key", () => {
  it("a typo at the top, in defaults, in a target and deep in a profile section", () => {
    const config = {
      targets: { staging: { description: "x", setup: () => {}, prodution: true } },
      defaults: { timeuot: "5s" },
      target: "staging",
    };
    expect(
      schemaProblems(harnessConfigSchema, config, "f.ts", "", {
        sep: ": ",
        rootName: "the config",
      }),
    ).toEqual([
      "f.ts: defaults: `timeuot` is not a key; did you mean `timeout`?",
      "f.ts: targets.staging: `prodution` is not a key; did you mean `production`?",
      "f.ts: the config: `target` is not a key; did you mean `targets`?",
    ]);
    const profile = {
      services: { curva: { url: "http://x", healthPath: "/health", helthPath: "/h" } },
      load: { monitoring: { metrics: {}, databseUrl: "postgres://x" } },
      smoke: { helpers: { createOrder: { service: "curva", headres: {} } } },
    };
    expect(unknownKeys(profile, "staging").sort()).toEqual([
      "targets.staging.load.monitoring: `databseUrl` is not a key; did you mean `databaseUrl`?",
      "targets.staging.services.curva: `helthPath` is not a key; did you mean `healthPath`?",
      "targets.staging.smoke.helpers.createOrder: `headres` is not a key; did you mean `headers`?",
    ]);
  });

  it("data objects (headers, thresholds) take any key, and a far-off key gets the list instead", () => {
    const profile = {
      load: { thresholds: { "http_req_failed{scenario:identify}": "rate<0.1" } },
      smoke: { helpers: { markPaid: { headers: { "x-anything": "1" } } } },
      zzzz: 1,
    };
    const problems = unknownKeys(profile, "t");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^targets\.t: `zzzz` is not a key\. Known here: services, databases/,
    );
    expect(nearestKey("prodution", ["production", "description"])).toBe("production");
  });

  it("a misspelt key inside a list entry is an error with the entry's index, at every depth", () => {
    const profile = {
      probe: {
        http: {
          rateLimit: { service: "api", method: "POST", path: "/x", limt: 5, windowMs: 1000 },
          criticalRoutes: [
            { service: "api", path: "/a" },
            { service: "api", pth: "/b" },
          ],
          invalidInputs: [
            { service: "api", method: "POST", path: "/x", body: "{}", contentTyp: "x" },
          ],
          roles: [
            {
              identity: "viewer",
              forbidden: [{ service: "api", method: "GET", path: "/a", mehtod: "POST" }],
            },
          ],
          tenantIsolation: [
            {
              service: "api",
              method: "GET",
              path: "/a",
              owner: "a",
              intruder: "b",
              intruder2: "c",
            },
          ],
        },
        cleanup: [{ database: "shop", text: "DELETE", values: () => [], valeus: 1 }],
      },
      load: {
        scenarios: {
          checkout: {
            requests: [{ name: "pay", service: "api", method: "POST", path: "/pay", bdy: "{}" }],
            model: {
              kind: "rampingVus",
              stages: [
                { durationSec: 5, target: 2 },
                { duration: 5, target: 1 },
              ],
            },
          },
        },
      },
    };
    expect(unknownKeys(profile, "staging").sort()).toEqual(
      [
        "targets.staging.probe.http.rateLimit: `limt` is not a key; did you mean `limit`?",
        "targets.staging.probe.http.criticalRoutes[1]: `pth` is not a key; did you mean `path`?",
        "targets.staging.probe.http.invalidInputs[0]: `contentTyp` is not a key; did you mean `contentType`?",
        "targets.staging.probe.http.roles[0].forbidden[0]: `mehtod` is not a key; did you mean `method`?",
        "targets.staging.probe.http.tenantIsolation[0]: `intruder2` is not a key; did you mean `intruder`?",
        "targets.staging.probe.cleanup[0]: `valeus` is not a key; did you mean `values`?",
        "targets.staging.load.scenarios.checkout.requests[0]: `bdy` is not a key; did you mean `body`?",
        "targets.staging.load.scenarios.checkout.model.stages[1]: `duration` is not a key; did you mean `durationSec`?",
      ].sort(),
    );
  });
});
