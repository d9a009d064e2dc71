import type { HarnessConfig } from "curva-pasukuru-harness/config";

/*
 * The Whop app's HTTP surface, probed by config alone (its hardening
 * backlog, seed 002): creator endpoints 401 without auth, the login
 * rate-limited with 429, Retry-After and X-Rate-Limit-*, invalid input 400
 * (sent as a creator: the route is behind auth), unbuilt features 501,
 * health checking the database and saying so, the scheduler route (Vercel
 * Cron) needing its CRON_SECRET. Read-only probes, one burst and the
 * scheduler's control call (never against production). No database is
 * named: the surface probes read nothing back.
 *
 *   WHOP_API_URL                the app's base URL
 *   WHOP_CREATOR_TOKEN          a creator's bearer token (staging)
 *   WHOP_CRON_SECRET            the scheduler route's CRON_SECRET
 *   WHOP_PROBE_PASSWORD         the password of the probe's test account (A6: a
 *                               session is opened, used, logged out and replayed)
 *
 * R5 takes the login limiter's store (Redis) down through the app's test
 * helper (POST /test/limiter-store/down, then /up) and bursts: it must stay
 * limited or refuse, never open.
 *   WHOP_LOGIN_LIMIT            logins allowed per window (default 5)
 *   WHOP_LOGIN_WINDOW_MS        the window (default 2000)
 *
 *   pnpm harness probe --config examples/whopApi.config.ts --target whopApi
 */
const config: HarnessConfig = {
  targets: {
    whopApi: {
      description: "a Whop app's HTTP surface (auth, rate limits, status codes, health)",
      async setup({ env }) {
        const number = (name: string, fallback: number) => {
          const text = env.optional(name);
          const value = text === undefined ? fallback : Number(text);
          if (!Number.isInteger(value) || value <= 0)
            env.problems.push(`${name}="${text}": use a whole number above 0.`);
          return value;
        };
        const limit = number("WHOP_LOGIN_LIMIT", 5);
        const windowMs = number("WHOP_LOGIN_WINDOW_MS", 2000);
        const creatorToken = env.secret("WHOP_CREATOR_TOKEN", { description: "a creator's token" });
        const cronSecret = env.secret("WHOP_CRON_SECRET", { description: "the CRON_SECRET" });
        const password = env.secret("WHOP_PROBE_PASSWORD", {
          description: "the probe's test account password",
        });
        return {
          profile: {
            services: {
              app: {
                url: env.url("WHOP_API_URL", {
                  description: "the app",
                  protocols: ["http:", "https:"],
                }),
                healthPath: "/api/health",
              },
            },
            databases: {},
            secrets: [creatorToken, cronSecret, password],
            probe: {
              http: {
                identities: { creator: async () => ({ authorization: `Bearer ${creatorToken}` }) },
                health: { service: "app", path: "/api/health" },
                // Health that means it: 200 "ok" must come with the database check passing.
                criticalRoutes: [
                  {
                    service: "app",
                    path: "/api/health",
                    body: [{ pointer: "/checks/database", equals: true }],
                  },
                ],
                sessionRevocation: {
                  login: {
                    service: "app",
                    method: "POST",
                    path: "/api/session",
                    body: JSON.stringify({ email: "probe@example.com", password }),
                  },
                  credential: { cookie: "sid" },
                  protected: { service: "app", method: "GET", path: "/api/me" },
                  logout: { service: "app", method: "POST", path: "/api/session/logout" },
                },
                sharedSecretRoutes: [
                  {
                    service: "app",
                    method: "POST",
                    path: "/api/scheduler/reminders",
                    header: "authorization",
                    value: `Bearer ${cronSecret}`,
                  },
                ],
                protectedRoutes: [{ service: "app", method: "GET", path: "/api/creator/stats" }],
                invalidInputs: [
                  {
                    service: "app",
                    method: "POST",
                    path: "/api/creator/payouts",
                    body: '{"amount":-5}',
                    identity: "creator",
                  },
                ],
                unimplemented: [{ service: "app", method: "GET", path: "/api/referrals" }],
                rateLimit: {
                  service: "app",
                  method: "POST",
                  path: "/api/login",
                  body: '{"email":"probe@example.com","password":"wrong"}',
                  limit,
                  windowMs,
                  vendorHeaders: {
                    remaining: "x-rate-limit-remaining",
                    reset: "x-rate-limit-reset",
                  },
                  storeOutage: {
                    takeDown: { service: "app", method: "POST", path: "/test/limiter-store/down" },
                    restore: { service: "app", method: "POST", path: "/test/limiter-store/up" },
                  },
                },
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
