import { parseFaults } from "./fixtures/stack/faults.ts";
import type { StackHandle } from "./fixtures/stack/stackTypes.ts";
import { startStack } from "./fixtures/stack/startStack.ts";
import { defineConfig, type TargetSession } from "./lib/config/defineConfig.ts";
import { envTarget } from "./smoke/targets/envTarget.ts";
import { identifyCall, referenceProfile } from "./smoke/targets/referenceProfile.ts";

/**
 * Targets of the joint smoke. A target's setup returns its profile: every
 * target-specific fact. The reference schema's SQL and helper calls are in
 * smoke/targets/referenceProfile.ts; a team whose staging differs points
 * --config at its own file (see smoke/README.md), no suite code changes.
 */

/** The smoke's view of a started reference stack; tests and the bench use it with a stack they started. */
export function stackProfile(stack: StackHandle): TargetSession["profile"] {
  return referenceProfile({
    urls: stack.urls,
    databases: { pasukuru: { url: stack.databaseUrl }, curva: { url: stack.databaseUrl } },
    schemas: stack.schemas,
    queue: { redisUrl: stack.redisUrl, prefix: stack.queue.prefix, name: stack.queue.name },
    testHelperSecret: stack.secrets.testHelperSecret,
    identity: {
      kind: "mint",
      mintIdToken: (user) => stack.mintIdToken(user),
      identify: identifyCall,
    },
    secrets: Object.values(stack.secrets),
  });
}

export default defineConfig({
  targets: {
    local: {
      description:
        "the reference stack, started in-process on free ports; STACK_FAULTS switches faults on",
      async setup({ env, keepData }) {
        const faults = env.optional("STACK_FAULTS") ?? "";
        const parsed = parseFaults(faults);
        if (!parsed.ok) env.problems.push(...parsed.problems);
        const databaseUrl = env.optional("DATABASE_URL");
        const redisUrl = env.optional("REDIS_URL");
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
    },
    staging: envTarget("STAGING", false),
    production: envTarget("PRODUCTION", true),
  },
});
