import type { HarnessConfig } from "../lib/config/defineConfig.ts";
import { signJwt } from "../lib/signJwt.ts";

/*
 * Test support: a target that is not Curva × Pasukuru, loaded by declared
 * scenarios alone (load/scenarios/declaredScenarios.ts): one service, no database,
 * no queue. DECLARED_URL is an in-test server; DECLARED_SECRET signs the
 * `signed` scenario's deliveries (Standard Webhooks, whsec_…). `broken`
 * declares every kind of mistake at once (exit 2, every problem listed).
 * `asUsers` sends each request as one of the run's test users, minted here
 * as HS256 tokens under DECLARED_SECRET (the server checks them).
 */
const config: HarnessConfig = {
  targets: {
    declared: {
      description: "an in-test HTTP server, loaded by declared scenarios",
      async setup({ env }) {
        const secret = env.secret("DECLARED_SECRET", { description: "the webhook secret" });
        return {
          profile: {
            services: {
              api: {
                url: env.url("DECLARED_URL", { description: "the server", protocols: ["http:"] }),
                healthPath: "/health",
              },
            },
            databases: {},
            secrets: [secret],
            load: {
              allowed: true,
              cleanup: [],
              mintIdToken: async (user) => ({
                sub: user.sub,
                idToken: signJwt({ alg: "HS256", typ: "JWT" }, { sub: user.sub }, secret),
              }),
              scenarios: {
                asUsers: {
                  requests: [
                    {
                      name: "me",
                      service: "api",
                      method: "GET",
                      path: "/me",
                      headers: { authorization: "Bearer {{idToken}}", "x-user": "{{userId}}" },
                      identity: "testUser",
                    },
                  ],
                  model: { kind: "closed", connections: 5, durationSec: 2 },
                },
                steady: {
                  requests: [{ name: "fast", service: "api", method: "GET", path: "/fast" }],
                  model: { kind: "open", ratePerSec: 1000, durationSec: 10 },
                  thresholds: { "http_req_duration{endpoint:fast}": "p(95)<50" },
                },
                rampVus: {
                  requests: [{ name: "slow", service: "api", method: "GET", path: "/slow" }],
                  model: {
                    kind: "rampingVus",
                    startVus: 1,
                    stages: [
                      { durationSec: 1, target: 1 },
                      { durationSec: 2, target: 6 },
                      { durationSec: 1, target: 6 },
                    ],
                  },
                },
                rampRate: {
                  requests: [{ name: "ramped", service: "api", method: "GET", path: "/fast" }],
                  model: {
                    kind: "rampingArrivalRate",
                    stages: [
                      { durationSec: 2, target: 200 },
                      { durationSec: 2, target: 200 },
                    ],
                  },
                },
                signed: {
                  requests: [
                    {
                      name: "hook",
                      service: "api",
                      method: "POST",
                      path: "/hooks",
                      body: '{"id":"{{eventId}}","type":"ping","run":"{{runId}}"}',
                      signing: { scheme: "standardWebhooks", secret },
                    },
                  ],
                  model: { kind: "open", ratePerSec: 100, durationSec: 2 },
                },
              },
            },
          },
        };
      },
    },
    broken: {
      description: "every kind of declaration mistake at once",
      async setup() {
        return {
          profile: {
            services: { api: { url: "http://127.0.0.1:9", healthPath: "/health" } },
            databases: {},
            secrets: [],
            load: {
              allowed: true,
              cleanup: [],
              scenarios: {
                bad: {
                  requests: [
                    { name: "a", service: "nowhere", method: "GET", path: "/x" },
                    { name: "b", service: "api", method: "GET", path: "no-slash" },
                    {
                      name: "c",
                      service: "api",
                      method: "POST",
                      path: "/c",
                      signing: { scheme: "carrier-pigeon" as "stripe", secret: "s" },
                    },
                  ],
                  model: { kind: "open", ratePerSec: 10, durationSec: 1 },
                  thresholds: {
                    "http_req_duration{endpoint:a}": "p(95) under 50",
                    "http_req_failed{endpoint:b}": "max<1",
                  },
                },
                closedDrops: {
                  requests: [{ name: "d", service: "api", method: "GET", path: "/d" }],
                  model: { kind: "closed", connections: 2, durationSec: 1 },
                  thresholds: { dropped_iterations: "count==0" },
                },
                never: {
                  requests: [{ name: "e", service: "api", method: "GET", path: "/e" }],
                  model: { kind: "rampingVus", stages: [{ durationSec: 2, target: 0 }] },
                },
                tooSparse: {
                  requests: [{ name: "f", service: "api", method: "GET", path: "/f" }],
                  model: { kind: "open", ratePerSec: 0.1, durationSec: 5 },
                },
              },
            },
          },
        };
      },
    },
  },
};

export default config;
