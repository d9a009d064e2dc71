import { headers, path, url } from "./httpParts.ts";
import { obj, text, whole } from "./schemaParts.ts";

/*
 * Where the load suite measures pool use while load runs: each service's
 * Prometheus gauges, or its pool seen in pg_stat_activity.
 */

export const poolGaugesSchema = obj({
  total: text("a metric name").optional().meta({
    description: "The gauge of connections the pool holds (default `db_pool_connections_total`).",
  }),
  idle: text("a metric name")
    .optional()
    .meta({ description: "The gauge of idle connections (default `db_pool_connections_idle`)." }),
  waiting: text("a metric name").optional().meta({
    description:
      "The gauge of checkouts waiting for a connection (default `db_pool_requests_waiting`).",
  }),
  max: text("a metric name")
    .optional()
    .meta({ description: "The gauge of the pool's configured maximum (default `db_pool_max`)." }),
  checkoutTimeouts: text("a metric name").optional().meta({
    description:
      "The counter of checkouts that timed out (default `db_pool_checkout_timeouts_total`).",
  }),
  checkoutWait: text("a metric name")
    .optional()
    .meta({ description: 'A histogram of checkout waits in seconds, with a bucket at le="1".' }),
}).meta({
  description:
    "Names of a service's pg pool gauges on /metrics; each defaults to the reference stack's.",
});

const poolSource = obj({
  path: path("/metrics").meta({
    description: "The service's Prometheus endpoint, scraped once a second while load runs.",
  }),
  gauges: poolGaugesSchema.optional(),
  headers: headers().optional().meta({
    description:
      'Sent with each scrape, e.g. { authorization: "Bearer <scrape token>" } (a secret: from the environment).',
  }),
});

const poolApplication = obj({
  applicationName: text("the pool's application_name (a trailing * matches a prefix)").meta({
    description:
      "The pool's application_name in pg_stat_activity (a trailing `*` matches a prefix).",
  }),
  poolSize: whole(1, 100_000, "the pool's configured maximum").meta({
    description: "The pool's configured maximum connections.",
  }),
});

export const loadMonitoringSchema = obj({
  metrics: obj({
    pasukuru: poolSource.optional().meta({ description: "Pasukuru's pool gauges." }),
    curva: poolSource.optional().meta({ description: "Curva's pool gauges." }),
  }).meta({
    description:
      "Each service's Prometheus endpoint and pool gauge names; a service left out has no pool threshold.",
  }),
  databaseUrl: url(["postgres:", "postgresql:"]).optional().meta({
    description:
      "A Postgres URL that may read pg_stat_activity, for connections against max_connections.",
  }),
  applications: obj({
    pasukuru: poolApplication
      .optional()
      .meta({ description: "Pasukuru's pool in pg_stat_activity." }),
    curva: poolApplication.optional().meta({ description: "Curva's pool in pg_stat_activity." }),
  })
    .optional()
    .meta({
      description:
        "For a service that exposes no pool gauges: its pool's application_name and pool size. With `databaseUrl`, every judged service without gauges must be here (exit 2 otherwise).",
    }),
})
  .superRefine((monitoring, ctx) => {
    if (monitoring.applications && monitoring.databaseUrl === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["applications"],
        message: "needs load.monitoring.databaseUrl: pg_stat_activity is read there.",
      });
  })
  .meta({
    description:
      "Where pool use is measured while load runs (none: pool thresholds have no evidence).",
  });
