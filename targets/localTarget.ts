import { parseFaults } from "../fixtures/stack/faults.ts";
import type { StackHandle } from "../fixtures/stack/stackTypes.ts";
import { startStack } from "../fixtures/stack/startStack.ts";
import type { TargetDefinition, TargetSession } from "../lib/config/defineConfig.ts";
import { identifyCall, referenceProfile } from "./referenceProfile.ts";

/** The profile of a started reference stack (the local target; tests and benches use it too). */
export function stackProfile(stack: StackHandle): TargetSession["profile"] {
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
    identity: {
      kind: "mint",
      // In-process: no HTTP round trip, so nothing for the request budget to bound.
      mintIdToken: (user) => stack.mintIdToken(user),
      identify: identifyCall,
    },
    secrets: Object.values(stack.secrets),
  });
}

/** The reference stack, started in-process on free ports for one run and stopped after it. */
export const localTarget: TargetDefinition = {
  description:
    "the reference stack, started in-process on free ports; STACK_FAULTS switches faults on",
  async setup({ env, keepData }) {
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
    const stack = await startStack({
      faults,
      keepData,
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(redisUrl ? { redisUrl } : {}),
    });
    return { profile: stackProfile(stack), teardown: () => stack.stop() };
  },
};
