import type { ReadyLine, StackHandle } from "../fixtures/referenceStack.ts";
import type { TargetDefinition, TargetSession } from "../lib/config/defineConfig.ts";
import type { IdentitySpec } from "../lib/config/targetProfile.ts";
import { mintThroughHelper } from "./lineTokenHelper.ts";
import { identifyCall, referenceProfile } from "./referenceProfile.ts";

type StackFacts = Pick<
  StackHandle,
  | "urls"
  | "databaseUrl"
  | "redisUrl"
  | "schemas"
  | "queue"
  | "secrets"
  | "origins"
  | "identifyGuard"
  | "edge"
>;

function profileOf(stack: StackFacts, identity: IdentitySpec): TargetSession["profile"] {
  return referenceProfile({
    urls: stack.urls,
    databases: { pasukuru: { url: stack.databaseUrl }, curva: { url: stack.databaseUrl } },
    schemas: stack.schemas,
    queue: { redisUrl: stack.redisUrl, prefix: stack.queue.prefix, name: stack.queue.name },
    testHelperSecret: stack.secrets.testHelperSecret,
    load: {
      // Loopback, started for this run: the one target load is always allowed against.
      allowed: true,
      webhookSigningSecret: stack.secrets.webhookSigningSecret,
      monitoringDatabaseUrl: stack.databaseUrl,
    },
    probe: {
      webhookSigningSecret: stack.secrets.webhookSigningSecret,
      lineChannelSecret: stack.secrets.lineChannelSecret,
      adminJwtSecret: stack.secrets.adminJwtSecret,
      identifyGuard: stack.identifyGuard,
      pages: {
        routes: ["/liff/shop", "/liff/cart", "/liff/account"].map((path) => ({
          service: "pasukuru",
          path,
        })),
        sessionCookies: ["pasukuru_session"],
        embeddableBy: ["https://liff.line.me"],
      },
      // Coupons are announced in the LIFF pages but not built yet.
      unimplemented: [{ service: "pasukuru", method: "GET", path: "/integration/line/coupons" }],
      origins: { allowed: [...stack.origins.liff], dev: [stack.origins.dev] },
      // The stack has the outage helper, and (started for the probes) an HTTPS edge with a CA made at its start.
      outageHelper: true,
      ...(stack.edge.https
        ? { tls: { url: stack.edge.https, httpUrl: stack.edge.http, ca: stack.edge.caPem } }
        : {}),
    },
    metricsToken: stack.secrets.metricsToken,
    // The watch, tried on the stack: it notifies the LINE emulator's Slack stand-in, and keeps
    // its alert state under the stack's own key prefix, so two stacks never share an incident.
    watch: {
      notifiers: { slack: { webhookUrl: `${stack.urls.line}/test/slack-alerts` } },
      settings: { keyPrefix: `${stack.queue.prefix}:alerts` },
      links: {},
    },
    identity,
    secrets: Object.values(stack.secrets),
  });
}

/** The profile of a reference stack started in this process (the smoke; tests and benches use it too). */
export function stackProfile(stack: StackHandle): TargetSession["profile"] {
  return profileOf(stack, {
    kind: "mint",
    // In-process: no HTTP round trip, so nothing for the request budget to bound.
    mintIdToken: (user) => stack.mintIdToken(user),
    identify: identifyCall,
  });
}

/** The profile of a reference stack running as its own process: users are minted over HTTP. */
export function stackProcessProfile(ready: ReadyLine): TargetSession["profile"] {
  return profileOf(ready, {
    kind: "mint",
    mintIdToken: (user, budget) =>
      mintThroughHelper(
        {
          url: `${ready.urls.line}/test/id-tokens`,
          testHelperSecret: ready.secrets.testHelperSecret,
          secretSource: "the stack's generated test-helper secret (restart the local run)",
        },
        user,
        budget,
      ),
    identify: identifyCall,
  });
}

/**
 * The reference stack, started for one run and stopped after it: in this
 * process for the smoke (fast), as its own process for load, so the load
 * generator never shares an event loop or a CPU figure with the services.
 */
export const localTarget: TargetDefinition = {
  description:
    "the reference stack, started on free ports for one run; STACK_FAULTS switches faults on",
  freshEachRun:
    "the local target is a fresh reference stack for every run, so no earlier run's data lives on it. A stack killed before it could stop leaves its schemas and keys: `pnpm stack --sweep-older-than 24h` removes those.",
  async setup({ env, keepData, purpose }) {
    // Loaded only when this target is chosen: a staging run never loads the stack (Fastify, bull-board).
    const {
      assertStoresUsable,
      parseFaults,
      STACK_DEFAULTS,
      startStack,
      startStackProcess,
      ADMIN_BOARD_PATH,
      mintAdminJwt,
    } = await import("../fixtures/referenceStack.ts");
    const faults = env.optional("STACK_FAULTS") ?? "";
    const parsed = parseFaults(faults);
    if (!parsed.ok) env.problems.push(...parsed.problems);
    const databaseUrl = env.optional("DATABASE_URL")
      ? env.url("DATABASE_URL", {
          description: "the PostgreSQL the local stack keeps its schemas in",
          protocols: ["postgres:", "postgresql:"],
        })
      : undefined;
    const redisUrl = env.optional("REDIS_URL")
      ? env.url("REDIS_URL", {
          description: "the Redis the local stack's BullMQ queue lives in",
          protocols: ["redis:", "rediss:"],
        })
      : undefined;
    // Nothing starts until the environment is known to be right.
    env.assertValid();
    if (purpose === "load") {
      const stores = {
        databaseUrl: databaseUrl ?? STACK_DEFAULTS.databaseUrl,
        redisUrl: redisUrl ?? STACK_DEFAULTS.redisUrl,
      };
      // Unreachable stores are exit 3 here, named, before a child process could fail on them.
      await assertStoresUsable(stores);
      const stack = await startStackProcess(
        {
          ...process.env,
          STACK_FAULTS: faults,
          DATABASE_URL: stores.databaseUrl,
          REDIS_URL: stores.redisUrl,
        },
        { keepData },
      );
      return { profile: stackProcessProfile(stack.ready), teardown: () => stack.stop() };
    }
    // STACK_INSTANCE names the stack's schemas and keys, as it does for `pnpm stack`.
    const instanceId = env.optional("STACK_INSTANCE");
    const stack = await startStack({
      faults,
      keepData,
      // Only the probes reach the HTTPS edge (T1–T3): no other run makes its certificates.
      edge: purpose === "probe",
      ...(instanceId ? { instanceId } : {}),
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(redisUrl ? { redisUrl } : {}),
    });
    const profile = stackProfile(stack);
    if (profile.smoke)
      profile.smoke.board = {
        service: "pasukuru",
        path: ADMIN_BOARD_PATH,
        adminToken: await stack.mintAdminJwt(600),
        // Validly signed, not admin: the board must refuse it too.
        nonAdminToken: await mintAdminJwt(stack.secrets.adminJwtSecret, 600, "viewer"),
      };
    profile.secrets.push(
      profile.smoke?.board?.adminToken ?? "",
      profile.smoke?.board?.nonAdminToken ?? "",
    );
    return { profile, teardown: () => stack.stop() };
  },
};
