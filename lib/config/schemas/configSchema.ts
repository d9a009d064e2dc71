import { z } from "zod";
import { fn, obj } from "./schemaParts.ts";

const optionText = () =>
  z
    .string({ error: () => "must be a string, as it would be typed on the command line." })
    .optional();

export const harnessConfigSchema = obj({
  defaults: obj({
    target: optionText(),
    timeout: optionText(),
    requestTimeout: optionText(),
    phase: optionText(),
    reportDir: optionText(),
  }).optional(),
  targets: z
    .record(
      z.string(),
      obj(
        {
          description: z.string({
            error: () => "must be a string saying what the target is.",
          }),
          production: z
            .boolean({ error: () => "must be true or false." })
            .optional()
            .meta({ description: "Refuses to run without `--confirm-production`." }),
          freshEachRun: z
            .string({
              error: () => "must be a sentence saying what removes leftovers instead of a sweep.",
            })
            .optional()
            .meta({
              description:
                "Set for a target started afresh for every run (the local reference stack): `harness sweep` says this sentence (what removes leftovers instead) rather than sweeping.",
            }),
          setup: fn<(context: never) => unknown>("(context) => { profile, teardown? }"),
        },
        "{ description, setup }",
      ),
      { error: () => "must be an object with at least one target (e.g. local, staging)." },
    )
    .refine((targets) => Object.keys(targets).length > 0, {
      error: () => "must be an object with at least one target (e.g. local, staging).",
    }),
}).meta({
  description:
    "A config file's default export: its targets, and option defaults below flags and env.",
});
