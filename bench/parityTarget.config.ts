import type { HarnessConfig } from "../lib/config/defineConfig.ts";

/*
 * bench:parity's fixed target: one service, the bench server answering
 * every request after 10 ms in its own process (PARITY_URL), loaded by one
 * declared open scenario at PARITY_RATE for PARITY_DURATION seconds. What
 * the engines measure of it is the server's delay and their own cost, not
 * a stack that shares the generator's CPU.
 */
const config: HarnessConfig = {
  targets: {
    parity: {
      description: "bench:parity's 10 ms bench server",
      async setup({ env }) {
        const rate = Number(env.optional("PARITY_RATE") ?? "1000");
        const durationSec = Number(env.optional("PARITY_DURATION") ?? "10");
        return {
          profile: {
            services: {
              api: {
                url: env.url("PARITY_URL", {
                  description: "the bench server",
                  protocols: ["http:"],
                }),
                healthPath: "/health",
              },
            },
            databases: {},
            secrets: [],
            load: {
              allowed: true,
              cleanup: [],
              scenarios: {
                steady: {
                  requests: [
                    {
                      name: "delayed",
                      service: "api",
                      method: "POST",
                      path: "/",
                      body: "{}",
                      headers: { "content-type": "application/json" },
                    },
                  ],
                  model: { kind: "open", ratePerSec: rate, durationSec, maxInFlight: 1000 },
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
