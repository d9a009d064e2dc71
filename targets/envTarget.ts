import type { TargetDefinition } from "../lib/config/defineConfig.ts";
import type { EnvReader } from "../lib/config/envReader.ts";
import type { IdentitySpec } from "../lib/config/targetProfile.ts";
import { alertEnv } from "./alertEnv.ts";
import { about } from "./envVariables.ts";
import { mintThroughHelper } from "./lineTokenHelper.ts";
import { identifyCall, referenceProfile } from "./referenceProfile.ts";

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** A deployed target described by `<PREFIX>_*` env variables (listed in the README, "Targets"). */
export function envTarget(prefix: string, production: boolean): TargetDefinition {
  const name = prefix.toLowerCase();
  return {
    description: `${name}: the deployed services, described by ${prefix}_* env variables (README: Targets)`,
    production,
    async setup({ env, purpose }) {
      const http = { protocols: ["http:", "https:"] };
      const postgres = { protocols: ["postgres:", "postgresql:"] };
      const v = (key: string) => `${prefix}_${key}`;
      const schema = (key: string, what: string) => {
        const value = env.string(v(key), { description: `the ${what} schema`, default: "public" });
        if (!SCHEMA.test(value))
          env.problems.push(`${v(key)}="${value}" is not a schema name (lowercase, digits, _).`);
        return value;
      };
      const cleanupUrl = (key: string) => {
        const url = env.optional(v(key));
        return url
          ? {
              cleanupUrl: env.url(v(key), {
                description: about(key as "PASUKURU_CLEANUP_DATABASE_URL"),
                ...postgres,
              }),
            }
          : {};
      };
      const testHelperSecret = env.secret(v("TEST_HELPER_SECRET"), {
        description: about("TEST_HELPER_SECRET"),
      });
      const profile = referenceProfile({
        urls: {
          pasukuru: env.url(v("PASUKURU_URL"), {
            description: about("PASUKURU_URL"),
            ...http,
          }),
          curva: env.url(v("CURVA_URL"), {
            description: about("CURVA_URL"),
            ...http,
          }),
        },
        databases: {
          pasukuru: {
            url: env.url(v("PASUKURU_DATABASE_URL"), {
              description: about("PASUKURU_DATABASE_URL"),
              ...postgres,
            }),
            ...cleanupUrl("PASUKURU_CLEANUP_DATABASE_URL"),
          },
          curva: {
            url: env.url(v("CURVA_DATABASE_URL"), {
              description: about("CURVA_DATABASE_URL"),
              ...postgres,
            }),
            ...cleanupUrl("CURVA_CLEANUP_DATABASE_URL"),
          },
        },
        schemas: {
          pasukuru: schema("PASUKURU_SCHEMA", "Pasukuru"),
          curva: schema("CURVA_SCHEMA", "Curva"),
        },
        queue: {
          redisUrl: env.url(v("REDIS_URL"), {
            description: about("REDIS_URL"),
            protocols: ["redis:", "rediss:"],
          }),
          prefix: env.string(v("QUEUE_PREFIX"), {
            description: about("QUEUE_PREFIX"),
            default: "bull",
          }),
          name: env.string(v("QUEUE_NAME"), {
            description: about("QUEUE_NAME"),
            default: "curva-webhook",
          }),
          ...(env.optional(v("DEAD_LETTER_QUEUE"))
            ? { deadLetterQueue: env.optional(v("DEAD_LETTER_QUEUE")) as string }
            : {}),
        },
        testHelperSecret,
        identity: envIdentity(env, v, testHelperSecret),
        load: envLoad(env, v),
        ...envProbe(env, v, purpose === "probe"),
        watch: alertEnv(env, v),
        ...envBoard(env, v),
        secrets: [],
      });
      return { profile };
    },
  };
}

/** The DLQ board check, when <PREFIX>_BOARD_ADMIN_TOKEN is set (the tokens are secrets). */
function envBoard(env: EnvReader, v: (key: string) => string) {
  const adminToken = env.optional(v("BOARD_ADMIN_TOKEN"));
  if (!adminToken) return {};
  env.secrets.push(adminToken);
  const nonAdminToken = env.optional(v("BOARD_NON_ADMIN_TOKEN"));
  if (nonAdminToken) env.secrets.push(nonAdminToken);
  return {
    board: {
      path: env.string(v("BOARD_PATH"), {
        description: about("BOARD_PATH"),
        default: "/admin/queues",
      }),
      adminToken,
      ...(nonAdminToken ? { nonAdminToken } : {}),
    },
  };
}

/** The probe section, when <PREFIX>_WEBHOOK_SIGNING_SECRET is set (and the LINE receiver with its channel secret). */
function envProbe(env: EnvReader, v: (key: string) => string, needed: boolean) {
  // Required only for `harness probe`: the smoke and the watch never sign a delivery.
  const secret = needed
    ? env.secret(v("WEBHOOK_SIGNING_SECRET"), { description: about("WEBHOOK_SIGNING_SECRET") })
    : env.optional(v("WEBHOOK_SIGNING_SECRET"));
  if (!secret) return {};
  const line = env.optional(v("LINE_CHANNEL_SECRET"));
  if (line) env.secrets.push(line);
  const origins = (key: string) =>
    (env.optional(v(key)) ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
  const allowed = origins("CORS_ORIGINS");
  const dev = origins("DEV_ORIGINS");
  return {
    probe: {
      webhookSigningSecret: secret,
      ...(line ? { lineChannelSecret: line } : {}),
      // The probe section's own check names an origin written wrong.
      ...(allowed.length > 0 ? { origins: { allowed, ...(dev.length > 0 ? { dev } : {}) } } : {}),
    },
  };
}

/** Load against a deployed target: refused unless <PREFIX>_LOAD_ALLOWED=true says otherwise. */
function envLoad(env: EnvReader, v: (key: string) => string) {
  const allowed = env.optional(v("LOAD_ALLOWED"));
  if (allowed !== undefined && allowed !== "true" && allowed !== "false")
    env.problems.push(`${v("LOAD_ALLOWED")}="${allowed}": use true or false.`);
  const secret = env.optional(v("WEBHOOK_SIGNING_SECRET"));
  if (secret) env.secrets.push(secret);
  const monitoring = env.optional(v("MONITORING_DATABASE_URL"))
    ? env.url(v("MONITORING_DATABASE_URL"), {
        description: about("MONITORING_DATABASE_URL"),
        protocols: ["postgres:", "postgresql:"],
      })
    : undefined;
  return {
    allowed: allowed === "true",
    allowedBy: `${v("LOAD_ALLOWED")}=true`,
    // Empty when unset: only `harness load` needs it, and its check names the key.
    webhookSigningSecret: secret ?? "",
    ...(monitoring ? { monitoringDatabaseUrl: monitoring } : {}),
  };
}

/** Mints through a LINE emulator's token helper when one is configured, else uses a pre-provisioned member. */
function envIdentity(
  env: EnvReader,
  v: (key: string) => string,
  testHelperSecret: string,
): IdentitySpec {
  const lineUrl = env.optional(v("LINE_TOKEN_URL"));
  if (lineUrl) {
    const url = env.url(v("LINE_TOKEN_URL"), {
      description: about("LINE_TOKEN_URL"),
      protocols: ["http:", "https:"],
    });
    return {
      kind: "mint",
      mintIdToken: (user, budget) =>
        mintThroughHelper(
          {
            url: `${url}/test/id-tokens`,
            testHelperSecret,
            secretSource: v("TEST_HELPER_SECRET"),
          },
          user,
          budget,
        ),
      identify: identifyCall,
    };
  }
  return {
    kind: "preProvisioned",
    lineUserId: env.string(v("TEST_LINE_USER_ID"), {
      description: `the pre-provisioned test member's LINE user id (or set ${v("LINE_TOKEN_URL")} to mint users)`,
    }),
    memberId: env.string(v("TEST_MEMBER_ID"), {
      description: "the pre-provisioned test member's id in Pasukuru",
    }),
  };
}
