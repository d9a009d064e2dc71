import { z } from "zod";
import { headers, path, url } from "./httpParts.ts";
import { jointService } from "./profileRefs.ts";
import { bool, obj, positive, shown, text, whole } from "./schemaParts.ts";

const DAY_MS = 86_400_000;

const share = (issue: { input?: unknown }) =>
  `is ${shown(issue.input)}: it is a share between 0 and 1 (0.05 is 5%).`;

export const watchSettingsSchema = obj({
  dlqMax: whole(0, 1_000_000, "the dead-letter count that fires").meta({
    description: "Dead-lettered webhook jobs above this fire (default 10).",
  }),
  errorRatioMax: z
    .number({ error: share })
    .gt(0, { error: share })
    .lt(1, { error: share })
    .meta({ description: "Curva's inbound webhook 5xx share above this fires (default 0.05)." }),
  windowMs: whole(1_000, DAY_MS, "the 5xx rate's window in ms").meta({
    description: "The 5xx rate's window (default 5 min).",
  }),
  minRequests: whole(0, 1_000_000, "the fewest requests a rate counts on").meta({
    description:
      "Fewer webhook requests than this in the window: the rate does not count (default 20).",
  }),
  renotifyMs: whole(1, 30 * DAY_MS, "the reminder interval in ms").meta({
    description: "A firing alert sends one reminder after this long (default 4 h).",
  }),
  cannotCheckAfter: whole(1, 1_000, "how many failed checks in a row notify").meta({
    description:
      'Consecutive checks that could not read their sources before one "cannot check" notification (default 3).',
  }),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/, {
      error: () => "may hold letters, digits and : _ - only.",
    })
    .meta({ description: "Alert state keys: <prefix>:<target>:<rule> (default harness:alerts)." }),
  claimLeaseMs: whole(1, DAY_MS, "the claim's lease in ms").meta({
    description:
      "How long a watcher's claim on a notification holds while it is sent (default 60 s).",
  }),
  deliveryAttempts: whole(1, 20, "the delivery attempts per notifier").meta({
    description: "Delivery attempts per notifier (default 3)…",
  }),
  deliveryBackoffMs: positive(600_000, "the first retry's delay in ms").meta({
    description:
      "…the first retry after this long, each next one after twice as long (default 1 s).",
  }),
}).meta({
  description:
    "The watch's thresholds and timings; each absent one is WATCH_DEFAULTS' (watch/watchSection.ts).",
});

export const notifierSpecSchema = obj({
  slack: obj({ webhookUrl: url(["https:", "http:"]) })
    .optional()
    .meta({ description: "A Slack incoming webhook (its URL is a secret)." }),
  email: obj({
    host: text("the SMTP relay's host").meta({ description: "The SMTP relay's host." }),
    port: whole(1, 65_535, "a port number").meta({
      description: "The SMTP relay's port (465 with `secure`, else 587 or 25).",
    }),
    secure: bool().meta({
      description: "TLS from the start (port 465); otherwise STARTTLS when the server offers it.",
    }),
    user: z
      .string()
      .optional()
      .meta({ description: "The SMTP user, when the relay asks for one." }),
    password: z
      .string()
      .optional()
      .meta({ description: "The SMTP password: a secret, from the environment." }),
    from: z
      .string()
      .includes("@", { error: () => "must be an email address." })
      .meta({ description: "The sender's address." }),
    to: z
      .array(z.string().includes("@", { error: () => "must be an email address." }))
      .min(1, { error: () => "must list at least one email address." })
      .meta({ description: "The addresses notified." }),
  })
    .optional()
    .meta({ description: "Email over SMTP." }),
}).meta({
  description:
    "Where a notification goes; secrets (the webhook URL, the SMTP password) come from the environment.",
});

export const watchSectionSchema = obj({
  webhookRequests: obj({
    service: jointService(),
    metricsPath: path("/metrics").meta({ description: "Its Prometheus endpoint, e.g. /metrics." }),
    metricsHeaders: headers().optional().meta({
      description:
        'Sent with each scrape, e.g. { authorization: "Bearer <scrape token>" } (a secret: from the environment).',
    }),
    route: text("the webhook receiver's route label, e.g. /webhooks/pasukuru").meta({
      description: "The `route` label of the webhook receiver, e.g. /webhooks/pasukuru.",
    }),
    prometheusUrl: url(["http:", "https:"]).optional().meta({
      description:
        "When set, the 5xx rate is a PromQL query there instead of two scrapes of metricsPath.",
    }),
  }).meta({
    description:
      "Curva's inbound webhook requests, counted by `http_requests_total{route,status}`.",
  }),
  prometheus: obj({
    deadLetterSeries: text("a PromQL series").optional().meta({
      description:
        'A series of dead-lettered webhook jobs (default webhook_queue_jobs{state="failed"}).',
    }),
    selector: z.string().optional().meta({
      description:
        'Label matchers that pick this target\'s series, e.g. env="staging" (default none).',
    }),
  })
    .optional()
    .meta({ description: "For the Prometheus rules file (`harness alerts:rules`)." }),
  stateRedisUrl: url(["redis:", "rediss:"]).optional().meta({
    description:
      "Where alert state (and the earlier counter reading) lives; default: the queue's Redis.",
  }),
  settings: watchSettingsSchema.partial().optional().meta({
    description:
      "Overrides of WATCH_DEFAULTS (thresholds, window, re-notify interval, key prefix, …).",
  }),
  notifiers: notifierSpecSchema,
  links: obj({
    board: z.string().optional().meta({ description: "The DLQ board's URL." }),
    signoff: z.string().optional().meta({ description: "The latest sign-off report's URL." }),
  })
    .optional()
    .meta({
      description: "Shown in notifications when set: the DLQ board and the latest sign-off.",
    }),
}).meta({ description: "What `harness watch` needs of a target." });
