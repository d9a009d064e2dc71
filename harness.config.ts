import { defineConfig } from "./lib/config/defineConfig.ts";
import { envTarget } from "./targets/envTarget.ts";
import { localTarget } from "./targets/localTarget.ts";

/**
 * The harness's targets. A target's setup returns its profile: every
 * target-specific fact. The reference schema's SQL and helper calls are in
 * targets/referenceProfile.ts; a team whose staging differs points --config
 * at its own file (docs/targets.md), no suite code changes.
 */
export default defineConfig({
  targets: {
    local: localTarget,
    staging: envTarget("STAGING", false),
    production: envTarget("PRODUCTION", true),
  },
});
