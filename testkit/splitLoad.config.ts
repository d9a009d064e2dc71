import type { HarnessConfig } from "../lib/config/defineConfig.ts";

/*
 * Test support: one scenario split over runner processes (load/splitRun.test.ts).
 * SPLIT_URL is an in-test server whose delay is a seeded function of each
 * request's global index, read from its event id (`…_<index>`): so which
 * runner sent a request does not change its latency, and a merged
 * percentile can be checked against the runners' raw samples.
 */
const config: HarnessConfig = {
  targets: {
    split: {
      description: "an in-test HTTP server, loaded by a split scenario",
      async setup({ env }) {
        return {
          profile: {
            services: {
              api: {
                url: env.url("SPLIT_URL", { description: "the server", protocols: ["http:"] }),
                healthPath: "/health",
              },
            },
            databases: {},
            secrets: [],
            load: {
              allowed: true,
              cleanup: [],
              scenarios: {
                indexed: {
                  requests: [
                    {
                      name: "work",
                      service: "api",
                      method: "POST",
                      path: "/work",
                      body: '{"id":"{{eventId}}"}',
                    },
                  ],
                  model: { kind: "open", ratePerSec: 150, durationSec: 6 },
                  thresholds: { "http_req_duration{endpoint:work}": "p(95)<500" },
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
