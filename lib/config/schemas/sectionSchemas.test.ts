import { describe, expect, it } from "vitest";
import { probeSectionSchema } from "./probeSchema.ts";
import { profileNames, targetProfileSchema } from "./profileSchema.ts";
import { schemaProblems } from "./schemaProblems.ts";

/*
 * The section schemas in both wrong directions: what the evidence of a
 * config does not carry is a problem at its key; a healthy profile that
 * merely looks unlike the reference stack has none.
 */

const oneApp = {
  services: { "shop-api": { url: "https://127.0.0.1:8443", healthPath: "/_status" } },
  databases: {},
  secrets: [],
};
const problemsOf = (profile: Record<string, unknown>) =>
  schemaProblems(targetProfileSchema(profileNames(profile)), profile, "targets.t", "");

describe("section schemas", () => {
  it("a one-app probe target with unusual names, no databases and vendor headers has no problem", () => {
    const profile = {
      ...oneApp,
      probe: {
        http: {
          identities: { "tenant-a": async () => ({ cookie: "s=1" }) },
          tenantIsolation: [
            {
              service: "shop-api",
              method: "GET",
              path: "/o/1",
              owner: "tenant-a",
              intruder: "tenant-a",
            },
          ],
          rateLimit: {
            service: "shop-api",
            method: "POST",
            path: "/login",
            limit: 10_000,
            windowMs: 1,
            vendorHeaders: { remaining: "X-RateLimit-Remaining-Minute" },
          },
          cors: {
            service: "shop-api",
            method: "GET",
            path: "/",
            allowedOrigins: ["http://127.0.0.1:5173"],
          },
        },
        cleanup: [],
      },
      load: {
        allowed: false,
        scenarios: {
          "checkout-v2": {
            requests: [
              {
                name: "pay_now",
                service: "shop-api",
                method: "PATCH",
                path: "/pay",
                expectedStatuses: [202, { min: 409, max: 409 }],
              },
            ],
            model: { kind: "rampingArrivalRate", stages: [{ durationSec: 0.5, target: 1 }] },
          },
        },
        cleanup: [],
      },
    };
    expect(problemsOf(profile)).toEqual([]);
  });

  it("a reference to a service, database or identity the profile does not define is named at its key", () => {
    const profile = {
      ...oneApp,
      probe: {
        webhooks: {
          orders: {
            service: "shop",
            path: "/wh",
            signing: { scheme: "stripe", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
            eventBody: () => ({}),
            processedCount: { database: "shop", text: "SELECT 1", values: () => [] },
          },
        },
        http: { metrics: { service: "shop-api", path: "/metrics", reader: "ops" } },
        cleanup: [],
      },
    };
    expect(problemsOf(profile)).toEqual([
      `targets.t: probe.webhooks.orders.service is "shop"; use one of the target's services: shop-api.`,
      'targets.t: probe.webhooks.orders.processedCount.database is "shop"; the profile names no databases.',
      'targets.t: probe.http.metrics.reader is "ops", not one of probe.http.identities (none configured).',
    ]);
  });

  it("every problem at once, each with its path; numbers state their range, and zero never means 'none'", () => {
    const problems = schemaProblems(
      probeSectionSchema(profileNames(oneApp)),
      {
        webhooks: {
          a: {
            service: "shop-api",
            path: "wh",
            signing: { scheme: "standardWebhooks", secret: "not-whsec" },
            eventBody: {},
            ackBudgetMs: 0,
          },
        },
        http: { tls: { url: "https://127.0.0.1:8443/", minDaysLeft: -1 } },
        cleanup: [{ database: "x", text: " ", values: () => [] }],
      },
      "targets.t",
      "probe",
    );
    expect(problems).toEqual([
      'targets.t: probe.webhooks.a.path is "wh": it must be a path starting with /, e.g. /webhooks/stripe.',
      expect.stringMatching(
        /^targets\.t: probe\.webhooks\.a\.signing\.secret is not usable: a .+ secret is whsec_/,
      ),
      "targets.t: probe.webhooks.a.eventBody is an object: it must be a function (ids) => a valid event with ids.eventId.",
      "targets.t: probe.webhooks.a.ackBudgetMs is 0: it must be the ack budget in ms, a whole number from 1 to 60000.",
      'targets.t: probe.http.tls.url is "https://127.0.0.1:8443/": it must be an origin, https://host[:port], with no path or slash.',
      "targets.t: probe.http.tls.minDaysLeft is -1: it must be days a certificate must have left, a whole number from 0 to 3650.",
      'targets.t: probe.cleanup[0].database is "x"; the profile names no databases.',
      'targets.t: probe.cleanup[0].text is " ": it must be SQL.',
    ]);
  });

  it("the new probe parts: identities on routes are checked, readiness takes one dependency or several, never both or none", () => {
    const helper = { service: "shop-api", method: "POST", path: "/t" } as const;
    const probe = (http: Record<string, unknown>) => ({ ...oneApp, probe: { http, cleanup: [] } });
    expect(
      problemsOf(
        probe({
          readiness: {
            service: "shop-api",
            readyPath: "/ready",
            dependencies: [{ name: "db", takeDown: helper, restore: helper }],
          },
          sharedSecretRoutes: [{ ...helper, header: "authorization", value: "Bearer x" }],
          criticalRoutes: [
            {
              service: "shop-api",
              path: "/d",
              body: [{ pointer: "/s", every: { pointer: "/status", equals: "ok" } }],
            },
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      problemsOf(
        probe({
          readiness: {
            service: "shop-api",
            readyPath: "/ready",
            takeDown: helper,
            restore: helper,
            dependencies: [],
          },
          criticalRoutes: [
            {
              service: "shop-api",
              path: "/d",
              identity: "nobody",
              body: [{ pointer: "s", equals: 1 }],
            },
          ],
        }),
      ),
    ).toEqual([
      "targets.t: probe.http.readiness.dependencies must list at least one dependency.",
      "targets.t: probe.http.readiness.dependencies: give takeDown and restore for one dependency, or dependencies for several, not both.",
      'targets.t: probe.http.criticalRoutes[0].body[0].pointer is "s": a JSON pointer is "" (the whole body) or starts with /, e.g. /services/0/status.',
      'targets.t: probe.http.criticalRoutes[0].identity is "nobody", not one of probe.http.identities (none configured).',
    ]);
    expect(problemsOf(probe({ readiness: { service: "shop-api", readyPath: "/ready" } }))).toEqual([
      "targets.t: probe.http.readiness.takeDown is missing: give takeDown and restore (one dependency) or dependencies (several).",
    ]);
  });
});
