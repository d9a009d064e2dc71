import { z } from "zod";
import { pointerProblem } from "../../jsonPointer.ts";
import { obj } from "./schemaParts.ts";

/*
 * What a health or discovery answer's JSON body must say, without code in
 * the config: a value at a JSON pointer, or every element of a list with a
 * value at a pointer of its own (e.g. every service's status "ok").
 */

const pointer = (what: string) =>
  z
    .string({ error: () => `must be a JSON pointer (${what}), e.g. /services/0/status.` })
    .superRefine((value, ctx) => {
      const problem = pointerProblem(value);
      if (problem)
        ctx.addIssue({ code: "custom", message: `is ${JSON.stringify(value)}: ${problem}.` });
    });

const scalar = z
  .union([z.string(), z.number(), z.boolean(), z.null()], {
    error: () => "must be a string, number, boolean or null: the value the body must hold.",
  })
  .meta({ description: 'The value it must equal (compared as JSON: `"ok"` is not `true`).' });

/** One thing a JSON body must say. */
const bodyExpectationSchema = z.union(
  [
    obj({
      pointer: pointer("where in the body").meta({
        description: 'Where in the body, as a JSON pointer ("" is the whole body).',
      }),
      equals: scalar,
    }),
    obj({
      pointer: pointer("the list").meta({
        description: "The list every element of which is checked.",
      }),
      every: obj({
        pointer: pointer("within each element").meta({
          description: "Where in each element, e.g. /status.",
        }),
        equals: scalar,
      }).meta({
        description:
          "What every element must hold; an empty list fails (it shows nothing healthy).",
      }),
    }),
  ],
  {
    error: () =>
      'must be { pointer, equals } or { pointer, every: { pointer, equals } }, e.g. { pointer: "/services", every: { pointer: "/status", equals: "ok" } }.',
  },
);

export type BodyExpectation = z.infer<typeof bodyExpectationSchema>;

/** What a route's JSON body must say, all of it. */
export const bodyExpectationsSchema = z
  .array(bodyExpectationSchema)
  .min(1, { error: () => "must list what the body must say (or leave `body` out)." })
  .meta({
    description:
      'What the answer\'s JSON body must say, each judged: `{ pointer, equals }`, or `{ pointer, every: { pointer, equals } }` for each element of a list, e.g. `{ pointer: "/services", every: { pointer: "/status", equals: "ok" } }`. A body that is not JSON fails.',
  });
