import { readFile } from "node:fs/promises";
import type { TargetDefinition } from "../lib/config/defineConfig.ts";
import type { EnvReader } from "../lib/config/envReader.ts";
import type { IdentitySpec } from "../lib/config/targetProfile.ts";
import { alertEnv } from "./alertEnv.ts";
import { about } from "./envVariables.ts";
import { mintThroughHelper } from "./lineTokenHelper.ts";
import { identifyCall, referenceProfile } from "./referenceProfile.ts";

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** A deployed target described by `<PREFIX>_*` env variables (listed in docs/targets.md). */
export function envTarget(prefix: string, production: boolean): TargetDefinition {
  const name = prefix.toLowerCase();
  return {
    description: `${name}: the deployed services, described by ${prefix}_* env variables (docs/targets.md)`,
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
      const pasukuruUrl = env.url(v("PASUKURU_URL"), {
        description: about("PASUKURU_URL"),
        ...http,
      });
      const metricsToken = env.optional(v("METRICS_TOKEN"));
      if (metricsToken) env.secrets.push(metricsToken);
      const profile = referenceProfile({
        ...(metricsToken ? { metricsToken } : {}),
        urls: {
          pasukuru: pasukuruUrl,
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
        ...(await envProbe(env, v, purpose === "probe", pasukuruUrl)),
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
async function envProbe(
  env: EnvReader,
  v: (key: string) => string,
  needed: boolean,
  pasukuruUrl: string,
) {
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
  const boardKey = env.optional(v("BOARD_JWT_KEY"));
  if (boardKey) env.secrets.push(boardKey);
  const guard = env.optional(v("IDENTIFY_GUARD"));
  const guardMatch = guard === undefined ? undefined : /^(\d{1,4})\/(\d{2,6})$/.exec(guard.trim());
  if (guard !== undefined && !guardMatch)
    env.problems.push(
      `${v("IDENTIFY_GUARD")}="${guard}": write <rejected tokens>/<window ms>, e.g. 10/2000.`,
    );
  const outage = env.optional(v("PROBE_OUTAGE_HELPER"));
  if (outage !== undefined && outage !== "true" && outage !== "false")
    env.problems.push(`${v("PROBE_OUTAGE_HELPER")}="${outage}": use true or false.`);
  const tls = await envTls(env, v, pasukuruUrl);
  return {
    probe: {
      webhookSigningSecret: secret,
      ...(line ? { lineChannelSecret: line } : {}),
      ...(boardKey ? { adminJwtSecret: boardKey } : {}),
      ...(guardMatch
        ? { identifyGuard: { limit: Number(guardMatch[1]), windowMs: Number(guardMatch[2]) } }
        : {}),
      ...(outage === "true" ? { outageHelper: true } : {}),
      ...(tls ? { tls } : {}),
      // The probe section's own check names an origin written wrong.
      ...(allowed.length > 0 ? { origins: { allowed, ...(dev.length > 0 ? { dev } : {}) } } : {}),
    },
  };
}

/**
 * T1–T3 when Pasukuru is served over https: its origin, the same host over
 * http (when on the default port), and <PREFIX>_TLS_CA_FILE's CA if given.
 */
async function envTls(env: EnvReader, v: (key: string) => string, pasukuruUrl: string) {
  let url: URL;
  try {
    url = new URL(pasukuruUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:") return undefined;
  const caFile = env.optional(v("TLS_CA_FILE"));
  let ca: string | undefined;
  if (caFile)
    ca = await readFile(caFile, "utf8").catch((error: NodeJS.ErrnoException) => {
      env.problems.push(
        `${v("TLS_CA_FILE")}="${caFile}": cannot read it (${error.code ?? error.message}).`,
      );
      return undefined;
    });
  if (ca !== undefined && !ca.includes("-----BEGIN CERTIFICATE-----"))
    env.problems.push(`${v("TLS_CA_FILE")}="${caFile}" holds no PEM certificate.`);
  return {
    url: url.origin,
    // Port 443 is the default: the same host's port 80 must redirect. On another port, http's port is unknown.
    ...(url.port === "" ? { httpUrl: `http://${url.host}` } : {}),
    ...(ca ? { ca } : {}),
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
