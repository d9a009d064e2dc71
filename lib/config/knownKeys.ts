import type { TargetProfile } from "./targetProfile.ts";

/**
 * Every key a config file may hold, as one table, so a typo is an error and
 * never a silent default: `prodution: true` would otherwise turn the
 * production guard off without a word. Objects whose keys are data (SQL
 * arguments, headers, threshold keys, versions) are `"any"`; a record's
 * values are `"*"`, a list's entries `"[]"`, and every list of objects
 * names its entries' keys (a misspelt key in a route entry is an error
 * too). The table is checked against the profile's types by the compiler
 * (`ShapeFor`): a key the types have and the table lacks does not compile.
 */
type Shape =
  | "leaf"
  | "any"
  | { readonly [key: string]: Shape }
  | { readonly "*": Shape }
  | { readonly "[]": Shape };

type Fn = (...args: never[]) => unknown;
/** Every key of every member of a union. */
type AllKeys<T> = T extends unknown ? keyof T : never;
/** The type of key K in whichever members of T have it. */
type Member<T, K extends PropertyKey> = T extends unknown
  ? K extends keyof T
    ? T[K]
    : never
  : never;
/**
 * The shape the table must give a type: every key of an object (of every
 * member of a union), a record's values, a list of objects' entries; data
 * objects may be "any", and only scalars, functions and lists of scalars
 * are leaves.
 */
type ShapeFor<T> = [NonNullable<T>] extends [Fn]
  ? "leaf"
  : [NonNullable<T>] extends [readonly (infer E)[]]
    ? [NonNullable<E>] extends [Fn]
      ? "leaf"
      : [NonNullable<E>] extends [object]
        ? { readonly "[]": ShapeFor<E> }
        : "leaf"
    : [NonNullable<T>] extends [object]
      ? string extends keyof NonNullable<T>
        ? { readonly "*": ShapeFor<NonNullable<T>[string]> } | "any"
        : { readonly [K in AllKeys<NonNullable<T>>]-?: ShapeFor<Member<NonNullable<T>, K>> } | "any"
      : "leaf";

const HELPER = {
  service: "leaf",
  method: "leaf",
  path: "leaf",
  headers: "any",
  body: "leaf",
  read: "leaf",
} as const;

const STATEMENT = { database: "leaf", text: "leaf", values: "leaf" } as const;
const STATEMENT_LIST = { "[]": STATEMENT } as const;
const ROUTE = { service: "leaf", method: "leaf", path: "leaf" } as const;
const PLACE = { service: "leaf", path: "leaf" } as const;
/** The joint services' records (load monitoring): keyed by the two services, nothing else. */
const perService = <S extends Shape>(shape: S) => ({ pasukuru: shape, curva: shape }) as const;
const STAGES = { "[]": { durationSec: "leaf", target: "leaf" } } as const;

const PROFILE = {
  services: { "*": { url: "leaf", healthPath: "leaf" } },
  databases: { "*": { url: "leaf", cleanupUrl: "leaf" } },
  queue: {
    redisUrl: "leaf",
    prefix: "leaf",
    name: "leaf",
    deadLetters: { kind: "leaf", name: "leaf" },
  },
  secrets: "leaf",
  smoke: {
    identity: {
      kind: "leaf",
      mintIdToken: "leaf",
      identify: HELPER,
      lineUserId: "leaf",
      memberId: "leaf",
    },
    helpers: { createOrder: HELPER, markPaid: HELPER },
    webhookJobId: "leaf",
    assertions: {
      webhookLogCount: STATEMENT,
      memberLineUserId: STATEMENT,
      followerMemberId: STATEMENT,
    },
    cleanup: STATEMENT_LIST,
    board: { service: "leaf", path: "leaf", adminToken: "leaf", nonAdminToken: "leaf" },
  },
  load: {
    allowed: "leaf",
    allowedBy: "leaf",
    mintIdToken: "leaf",
    identify: { ...HELPER, expectedStatuses: "leaf" },
    webhook: {
      service: "leaf",
      path: "leaf",
      eventBody: "leaf",
      signing: { scheme: "leaf", secret: "leaf" },
      expectedStatuses: "leaf",
    },
    monitoring: {
      metrics: perService({
        path: "leaf",
        gauges: {
          total: "leaf",
          idle: "leaf",
          waiting: "leaf",
          max: "leaf",
          checkoutTimeouts: "leaf",
          checkoutWait: "leaf",
        },
        headers: "any",
      }),
      databaseUrl: "leaf",
      applications: perService({ applicationName: "leaf", poolSize: "leaf" }),
    },
    thresholds: "any",
    scenarios: {
      "*": {
        description: "leaf",
        requests: {
          "[]": {
            name: "leaf",
            service: "leaf",
            method: "leaf",
            path: "leaf",
            headers: "any",
            body: "leaf",
            signing: { scheme: "leaf", secret: "leaf" },
            expectedStatuses: "leaf",
            identity: "leaf",
          },
        },
        model: {
          kind: "leaf",
          connections: "leaf",
          durationSec: "leaf",
          ratePerSec: "leaf",
          maxInFlight: "leaf",
          startVus: "leaf",
          startRate: "leaf",
          stages: STAGES,
        },
        thresholds: "any",
      },
    },
    cleanup: STATEMENT_LIST,
  },
  sweep: {
    findRuns: STATEMENT_LIST,
    findJobIds: STATEMENT_LIST,
    removeRun: STATEMENT_LIST,
    jobRunId: "leaf",
  },
  probe: {
    webhooks: {
      "*": {
        service: "leaf",
        path: "leaf",
        signing: { scheme: "leaf", secret: "leaf" },
        eventBody: "leaf",
        processedCount: { database: "leaf", text: "leaf", values: "leaf" },
        ackBudgetMs: "leaf",
        oversizedBytes: "leaf",
        verifyToken: "leaf",
      },
    },
    http: {
      cors: {
        service: "leaf",
        method: "leaf",
        path: "leaf",
        allowedOrigins: "leaf",
        requestHeaders: "leaf",
        credentials: "leaf",
        devOrigins: "leaf",
      },
      health: { service: "leaf", path: "leaf" },
      criticalRoutes: { "[]": PLACE },
      unimplemented: { "[]": ROUTE },
      invalidInputs: { "[]": { ...ROUTE, body: "leaf", contentType: "leaf" } },
      methodNotAllowed: { "[]": ROUTE },
      protectedRoutes: { "[]": ROUTE },
      pages: { routes: { "[]": PLACE }, sessionCookies: "leaf", embeddableBy: "leaf" },
      jwt: {
        service: "leaf",
        method: "leaf",
        path: "leaf",
        key: { alg: "leaf", secret: "leaf" },
        claims: "any",
        issuer: "leaf",
        audience: "leaf",
        refusedStatus: "leaf",
      },
      rateLimit: {
        service: "leaf",
        method: "leaf",
        path: "leaf",
        body: "leaf",
        limit: "leaf",
        windowMs: "leaf",
        extra: "leaf",
        vendorHeaders: { limit: "leaf", remaining: "leaf", reset: "leaf" },
      },
      identities: { "*": "leaf" },
      tenantIsolation: { "[]": { ...ROUTE, owner: "leaf", intruder: "leaf" } },
      roles: { "[]": { identity: "leaf", forbidden: { "[]": ROUTE } } },
      telegram: {
        service: "leaf",
        method: "leaf",
        path: "leaf",
        botToken: "leaf",
        header: "leaf",
        prefix: "leaf",
        maxAgeSec: "leaf",
        body: "leaf",
      },
      readiness: {
        service: "leaf",
        readyPath: "leaf",
        livePath: "leaf",
        takeDown: { service: "leaf", method: "leaf", path: "leaf", headers: "any", body: "leaf" },
        restore: { service: "leaf", method: "leaf", path: "leaf", headers: "any", body: "leaf" },
        settleMs: "leaf",
      },
      metrics: { service: "leaf", path: "leaf", public: "leaf", reader: "leaf" },
      adminBoard: { service: "leaf", path: "leaf", nonAdmin: "leaf", admin: "leaf" },
      tls: {
        url: "leaf",
        httpUrl: "leaf",
        paths: "leaf",
        ca: "leaf",
        minDaysLeft: "leaf",
        hstsMinSeconds: "leaf",
      },
    },
    cleanup: STATEMENT_LIST,
    productionOptIn: { probes: "leaf", inertEventType: "leaf" },
  },
  watch: {
    webhookRequests: {
      service: "leaf",
      metricsPath: "leaf",
      metricsHeaders: "any",
      route: "leaf",
      prometheusUrl: "leaf",
    },
    prometheus: { deadLetterSeries: "leaf", selector: "leaf" },
    stateRedisUrl: "leaf",
    settings: {
      dlqMax: "leaf",
      errorRatioMax: "leaf",
      windowMs: "leaf",
      minRequests: "leaf",
      renotifyMs: "leaf",
      cannotCheckAfter: "leaf",
      keyPrefix: "leaf",
      claimLeaseMs: "leaf",
      deliveryAttempts: "leaf",
      deliveryBackoffMs: "leaf",
    },
    notifiers: {
      slack: { webhookUrl: "leaf" },
      email: {
        host: "leaf",
        port: "leaf",
        secure: "leaf",
        user: "leaf",
        password: "leaf",
        from: "leaf",
        to: "leaf",
      },
    },
    links: { board: "leaf", signoff: "leaf" },
  },
  // Set by the harness from the target definition; a profile that sets it is checked apart.
  name: "leaf",
  production: "leaf",
} as const satisfies ShapeFor<TargetProfile>;

export const CONFIG_SHAPE: Shape = {
  targets: {
    "*": { description: "leaf", production: "leaf", freshEachRun: "leaf", setup: "leaf" },
  },
  defaults: {
    target: "leaf",
    timeout: "leaf",
    requestTimeout: "leaf",
    phase: "leaf",
    reportDir: "leaf",
  },
};

export const PROFILE_SHAPE: Shape = PROFILE;

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(
        above + 1,
        (row[j - 1] as number) + 1,
        diagonal + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The known key nearest to `key`, when one is near enough to be what was meant. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(key, candidate);
    if (!best || d < best.d) best = { key: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Every key of `value` that `shape` does not know, with its place and the
 * nearest known key: "targets.staging: `prodution` is not a key; did you
 * mean `production`?". `at` is the place of `value` itself.
 */
export function unknownKeyProblems(value: unknown, shape: Shape, at: string): string[] {
  if (shape === "leaf" || shape === "any") return [];
  const entry = (shape as { "[]"?: Shape })["[]"];
  if (entry !== undefined)
    return Array.isArray(value)
      ? value.flatMap((item, i) => unknownKeyProblems(item, entry, `${at}[${i}]`))
      : [];
  if (!isRecord(value)) return [];
  const problems: string[] = [];
  const wildcard = (shape as { "*"?: Shape })["*"];
  const known = Object.keys(shape).filter((k) => k !== "*");
  for (const [key, child] of Object.entries(value)) {
    const place = at ? `${at}.${key}` : key;
    const childShape =
      wildcard ?? (Object.hasOwn(shape, key) ? (shape as Record<string, Shape>)[key] : undefined);
    if (childShape === undefined) {
      const near = nearestKey(key, known);
      problems.push(
        `${at || "the config"}: \`${key}\` is not a key${near ? `; did you mean \`${near}\`?` : `. Known here: ${known.join(", ")}.`}`,
      );
      continue;
    }
    problems.push(...unknownKeyProblems(child, childShape, place));
  }
  return problems;
}
