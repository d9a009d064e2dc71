import type { ReadyLine } from "../fixtures/referenceStack.ts";
import { defineConfig } from "../lib/config/defineConfig.ts";
import { stackProcessProfile } from "../targets/localTarget.ts";

/**
 * Test support: a config whose target `proxied` is a reference stack the
 * test started itself, described by HARNESS_TEST_STACK (a ReadyLine as JSON)
 * whose database and Redis URLs point at the test's fault proxies. The
 * harness's own connections go through the proxies; the stack's do not.
 */
export default defineConfig({
  targets: {
    proxied: {
      description: "a test's reference stack, its stores reached through fault proxies",
      async setup({ env }) {
        const ready = JSON.parse(
          env.string("HARNESS_TEST_STACK", { description: "the test's stack as JSON" }) || "{}",
        ) as ReadyLine;
        return { profile: stackProcessProfile(ready) };
      },
    },
  },
});
