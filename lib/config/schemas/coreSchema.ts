import { z } from "zod";
import { path, url } from "./httpParts.ts";
import { obj, text } from "./schemaParts.ts";

/*
 * The core of a profile: where the target's services, databases and queue
 * are, and which values are secret. Every suite needs it.
 */

export const httpServiceSchema = obj({
  url: url(["http:", "https:"]).meta({ description: "Base URL, no trailing slash." }),
  healthPath: path("/health").meta({
    description: "Path answered 2xx when the service is up; preflight calls it.",
  }),
});

export const databaseSpecSchema = obj({
  url: url(["postgres:", "postgresql:"]).meta({
    description: "Read-only is enough for assertions.",
  }),
  cleanupUrl: url(["postgres:", "postgresql:"])
    .optional()
    .meta({ description: "Used for cleanup and sweep; defaults to `url`." }),
});

export const deadLetterSpecSchema = z.discriminatedUnion(
  "kind",
  [
    /** Exhausted jobs stay in the webhook queue's failed set (BullMQ's default). */
    obj({
      kind: z.literal("failedSet").meta({
        description:
          "`failedSet`: exhausted jobs stay in the queue's failed set; `queue`: they move to the queue `name`.",
      }),
    }),
    /** Exhausted jobs are moved to another queue, under the same prefix, with the same job id. */
    obj({
      kind: z.literal("queue"),
      name: text("the dead-letter queue's name").meta({
        description: "The dead-letter queue's name, under the same prefix.",
      }),
    }),
  ],
  { error: () => `must be { kind: "failedSet" } or { kind: "queue", name }.` },
);

export const queueSpecSchema = obj({
  redisUrl: url(["redis:", "rediss:"]),
  prefix: text(`BullMQ's key prefix, "bull" unless set`).meta({
    description: "BullMQ key prefix (`bull` unless the service sets one).",
  }),
  name: text("the webhook queue's name, e.g. curva-webhook").meta({
    description: "The webhook queue's name (e.g. `curva-webhook`).",
  }),
  deadLetters: deadLetterSpecSchema.meta({
    description:
      'Where exhausted jobs go: `{ kind: "failedSet" }` (BullMQ\'s failed set) or `{ kind: "queue", name }`.',
  }),
}).meta({
  description:
    "Pasukuru's outbound webhook queue (BullMQ): where it lives and where dead letters go.",
});

export const servicesSchema = z
  .record(z.string(), httpServiceSchema, {
    error: () => "must be an object of { url, healthPath } by service name.",
  })
  .refine((services) => Object.keys(services).length > 0, {
    error: () => "names no service: add at least one, e.g. { app: { url, healthPath } }.",
  })
  .meta({
    description:
      "Every HTTP service of the target by name; the joint suites need pasukuru and curva.",
  });

export const databasesSchema = z
  .record(z.string(), databaseSpecSchema, {
    error: () => "must be an object of { url, cleanupUrl? } by name ({} for none).",
  })
  .meta({
    description: "Every database the profile's SQL reads or cleans, by name (may be none: {}).",
  });

export const secretsSchema = z
  .array(z.string(), {
    error: () => "must be a list of values to scrub from every output.",
  })
  .meta({ description: "Values to scrub from every output (secrets, tokens, passwords)." });
