import type { HarnessConfig } from "curva-pasukuru-harness/config";

/*
 * Any HTTP API's surface, probed by config alone: health answering 2xx with
 * a status field and no leaks, the routes monitors depend on never 5xx or
 * 404, a protected route refusing a caller without credentials. The
 * starting point `harness init --kind generic` writes: add the parts of
 * docs/profile.md ("probe") your go-live list claims (CORS, rate limits,
 * invalid input, shared-secret routes, sessions, HTTPS, …). Read-only.
 *
 *   APP_URL                     the API's base URL, e.g. https://staging.example.com
 *   APP_HEALTH_PATH             its health route (default /health)
 *   APP_PROTECTED_PATH          a route that needs credentials (optional: A1)
 *
 *   pnpm harness probe --config harness.config.ts --target app
 */
const config: HarnessConfig = {
  targets: {
    app: {
      description: "an HTTP API's surface (health, critical routes, credentials required)",
      async setup({ env }) {
        const healthPath = env.optional("APP_HEALTH_PATH") ?? "/health";
        const protectedPath = env.optional("APP_PROTECTED_PATH");
        return {
          profile: {
            services: {
              app: {
                url: env.url("APP_URL", { description: "the API", protocols: ["http:", "https:"] }),
                healthPath,
              },
            },
            databases: {},
            // Every secret the config reads goes here, so no output shows it.
            secrets: [],
            probe: {
              http: {
                health: { service: "app", path: healthPath },
                criticalRoutes: [{ service: "app", path: healthPath }],
                ...(protectedPath
                  ? { protectedRoutes: [{ service: "app", method: "GET", path: protectedPath }] }
                  : {}),
              },
              cleanup: [],
            },
          },
        };
      },
    },
  },
};

export default config;
