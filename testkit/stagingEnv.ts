import type { StackHandle } from "../fixtures/referenceStack.ts";

/** Test support: the STAGING_* variables that make `--target staging` a stack this test started. */
export function stagingEnv(stack: StackHandle): Record<string, string> {
  return {
    STAGING_PASUKURU_URL: stack.urls.pasukuru,
    STAGING_CURVA_URL: stack.urls.curva,
    STAGING_TEST_HELPER_SECRET: stack.secrets.testHelperSecret,
    STAGING_PASUKURU_DATABASE_URL: stack.databaseUrl,
    STAGING_CURVA_DATABASE_URL: stack.databaseUrl,
    STAGING_PASUKURU_SCHEMA: stack.schemas.pasukuru,
    STAGING_CURVA_SCHEMA: stack.schemas.curva,
    STAGING_REDIS_URL: stack.redisUrl,
    STAGING_QUEUE_PREFIX: stack.queue.prefix,
    STAGING_LINE_TOKEN_URL: stack.urls.line,
    STAGING_METRICS_TOKEN: stack.secrets.metricsToken,
  };
}
