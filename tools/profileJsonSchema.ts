import { z } from "zod";
import { targetProfileSchema } from "../lib/config/schemas/profileSchema.ts";

/** Where the profile's JSON Schema is kept, for editors and reviewers (checked by `pnpm lint:docs`). */
export const PROFILE_JSON_SCHEMA_PATH = "docs/profile.schema.json";

/**
 * The JSON Schema of the whole target profile (what a target's setup()
 * returns), generated from the zod schemas the harness validates with.
 * Functions are not JSON: they are `{}` with a description saying what
 * they take and return.
 */
export function profileJsonSchema(): string {
  const schema = z.toJSONSchema(targetProfileSchema(), {
    target: "draft-2020-12",
    unrepresentable: "any",
    io: "input",
    // zod names startsWith and includes checks as formats of their own; the pattern beside each says it in JSON Schema.
    override: (ctx) => {
      if (["starts_with", "ends_with", "includes"].includes(ctx.jsonSchema.format ?? ""))
        delete ctx.jsonSchema.format;
    },
  });
  return `${JSON.stringify(
    {
      ...schema,
      title: "Target profile",
      description:
        "What a target's setup() returns in a harness config: the core (services, databases, queue, secrets) and one optional section per suite. Generated from lib/config/schemas by `pnpm lint:docs --write`; do not edit.",
    },
    null,
    2,
  )}\n`;
}
