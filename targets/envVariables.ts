/**
 * The `<PREFIX>_*` variables of the deployed targets (staging, production),
 * as one table: envTarget reads each with its description here (so every
 * "is not set" names what the variable is), and the README's table is
 * generated from it into docs/targets.md (`envVariablesTable`; the lint fails when its
 * copy differs: tools/readmeTables.ts).
 */
export interface EnvVariable {
  /** Without the prefix, e.g. PASUKURU_URL; several are one row (a pair, or a family with *). */
  keys: readonly string[];
  required: string;
  /** What it is; read by envTarget as the variable's description. */
  what: string;
}

const ENV_VARIABLES = [
  { keys: ["PASUKURU_URL"], required: "yes", what: "Pasukuru's base URL (http/https)" },
  { keys: ["CURVA_URL"], required: "yes", what: "Curva's base URL" },
  {
    keys: ["TEST_HELPER_SECRET"],
    required: "yes, secret",
    what: "the `x-test-helper-secret` both services' `/test/*` helpers accept",
  },
  {
    keys: ["PASUKURU_DATABASE_URL"],
    required: "yes",
    what: "read-only Postgres URL of Pasukuru's database (assertions)",
  },
  {
    keys: ["CURVA_DATABASE_URL"],
    required: "yes",
    what: "read-only Postgres URL of Curva's database",
  },
  {
    keys: ["PASUKURU_CLEANUP_DATABASE_URL"],
    required: "no",
    what: "URL with DELETE rights for cleanup and sweep; default the read URL",
  },
  { keys: ["CURVA_CLEANUP_DATABASE_URL"], required: "no", what: "same, for Curva" },
  {
    keys: ["PASUKURU_SCHEMA"],
    required: "no",
    what: "schema of `members` / `orders`; default `public`",
  },
  {
    keys: ["CURVA_SCHEMA"],
    required: "no",
    what: "schema of `line_followers` / `webhook_log` / `processed_events`; default `public`",
  },
  {
    keys: ["REDIS_URL"],
    required: "yes",
    what: "Pasukuru's Redis (`redis://` or `rediss://`)",
  },
  { keys: ["QUEUE_PREFIX"], required: "no", what: "BullMQ key prefix; default `bull`" },
  { keys: ["QUEUE_NAME"], required: "no", what: "the webhook queue; default `curva-webhook`" },
  {
    keys: ["DEAD_LETTER_QUEUE"],
    required: "no",
    what: "a separate dead-letter queue (same job ids); default the queue's failed set",
  },
  {
    keys: ["LINE_TOKEN_URL"],
    required: "one of",
    what: "a LINE emulator base URL serving `POST /test/id-tokens`: each run mints a fresh user and enters through identify (the call is bounded by `--request-timeout`)",
  },
  {
    keys: ["TEST_LINE_USER_ID", "TEST_MEMBER_ID"],
    required: "one of",
    what: "a pre-provisioned test member (`U` + 32 hex, and its Pasukuru id) when tokens cannot be minted",
  },
  {
    keys: ["LOAD_ALLOWED"],
    required: "for load",
    what: "`true` lets `harness load` send load to this target; anything else refuses (exit 2)",
  },
  {
    keys: ["WEBHOOK_SIGNING_SECRET"],
    required: "for load and probe, secret",
    what: "the secret Curva verifies `X-Pasukuru-Signature` with (load and the probes sign their own deliveries)",
  },
  {
    keys: ["CORS_ORIGINS", "DEV_ORIGINS"],
    required: "no",
    what: "comma-separated origins identify must allow (the LIFF pages'), and development origins it must refuse; set, `harness probe` checks CORS (C1–C5)",
  },
  {
    keys: ["LINE_CHANNEL_SECRET"],
    required: "no, secret",
    what: "the LINE channel secret Curva verifies `/webhooks/line` with; set, `harness probe` probes that receiver too",
  },
  {
    keys: ["BOARD_JWT_KEY"],
    required: "no, secret",
    what: "the HS256 key Pasukuru's board verifies admin JWTs with; set, `harness probe` runs the JWT matrix (A2) against the board",
  },
  {
    keys: ["IDENTIFY_GUARD"],
    required: "no",
    what: "identify's brute-force guard as `<rejected tokens>/<window ms>`, e.g. `10/2000`; set, `harness probe` bursts against it (R1–R3; never on production)",
  },
  {
    keys: ["METRICS_TOKEN"],
    required: "no, secret",
    what: "the bearer token the services' `/metrics` take: load's pool sampler and the watch send it, and `harness probe` reads with it (E1; anonymous must be refused either way)",
  },
  {
    keys: ["PROBE_OUTAGE_HELPER"],
    required: "no",
    what: "`true`: Pasukuru has the reference stack's `POST /test/dependencies/database` helper, and `harness probe` checks readiness under a database outage (HC2; never on production)",
  },
  {
    keys: ["TLS_CA_FILE"],
    required: "no",
    what: "a PEM file of the private CA Pasukuru's certificate chains to, for T1's chain check (the rest of the run trusts it through Node's `NODE_EXTRA_CA_CERTS`); with an `https://` `PASUKURU_URL`, `harness probe` checks the certificate, http→https and HSTS (T1–T3) against that host",
  },
  {
    keys: ["MONITORING_DATABASE_URL"],
    required: "no",
    what: "a Postgres URL that may read `pg_stat_activity`, for connections against `max_connections` under load",
  },
  {
    keys: ["BOARD_ADMIN_TOKEN"],
    required: "no, secret",
    what: "an admin JWT for Pasukuru's DLQ board: given, the smoke adds `dlqBoardProtected`",
  },
  {
    keys: ["BOARD_NON_ADMIN_TOKEN"],
    required: "no, secret",
    what: "a validly signed JWT without the admin role, which the board must refuse too",
  },
  { keys: ["BOARD_PATH"], required: "no", what: "the board's path; default `/admin/queues`" },
  {
    keys: ["ALERT_*", "PROMETHEUS_URL"],
    required: "for the watch",
    what: 'see "The webhook watch"',
  },
] as const satisfies readonly EnvVariable[];

type Key = (typeof ENV_VARIABLES)[number]["keys"][number];

/** The description of one variable, as envTarget's messages and docs/targets.md give it. */
export function about(key: Key): string {
  const row = ENV_VARIABLES.find((v) => (v.keys as readonly string[]).includes(key));
  return row?.what ?? key;
}

/** docs/targets.md's table of the variables, for `prefix` (e.g. STAGING). */
export function envVariablesTable(prefix: string): string {
  const rows = ENV_VARIABLES.map((v) => {
    const names = v.keys
      .map((k) => `\`${prefix}_${k}\``)
      .join(v.keys.length === 2 && v.required === "one of" ? " + " : ", ");
    return `| ${names} | ${v.required} | ${v.what} |`;
  });
  return ["| variable | required | what |", "|---|---|---|", ...rows].join("\n");
}
