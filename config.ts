/*
 * The package's public surface for a harness config that lives in another
 * team's repository: `import { defineConfig } from
 * "curva-pasukuru-harness/config"` (package.json `exports`). Everything a
 * config may need, and nothing else; docs/targets.md ("A config of your
 * own") and docs/profile.md (every key) document it. Anything under lib/
 * is the harness's own and may move.
 */

export {
  type ConfigFileDefaults,
  defineConfig,
  type HarnessConfig,
  type TargetDefinition,
  type TargetSession,
  type TargetSetupContext,
} from "./lib/config/defineConfig.ts";
export type { EnvReader, EnvVarOptions } from "./lib/config/envReader.ts";
export type {
  DeclaredModel,
  DeclaredRequest,
  DeclaredScenario,
  LoadSection,
  PoolGauges,
} from "./lib/config/loadProfile.ts";
export type {
  ProbeHelperRequest,
  ProbeHttp,
  ProbeIdentity,
  ProbeRoute,
  ProbeSection,
  ProbeWebhook,
} from "./lib/config/probeProfile.ts";
export type {
  HelperResponse,
  IdentityBudget,
  MintIdToken,
  ProbeEventIds,
  RequestBudget,
  RunIds,
  TargetLookup,
} from "./lib/config/profileRuntime.ts";
export type {
  HttpService,
  IdentitySpec,
  QueueSpec,
  SmokeSection,
  SqlStatement,
  SweepSection,
  TargetProfile,
  WatchSection,
  WatchSettings,
} from "./lib/config/targetProfile.ts";
export { probeEventId, probeEventIdLike, testUserDisplayName } from "./lib/drivers/runId.ts";
export { signInitData } from "./lib/signInitData.ts";
export { signJwt } from "./lib/signJwt.ts";
