import { z } from "zod";
import { fn, must, obj, oneOf, shown } from "./schemaParts.ts";

/**
 * The names a profile defines that its sections refer to: services and
 * databases. Given, a reference to another name is a problem at its key;
 * absent (the JSON Schema, the types), any non-empty name is taken.
 */
export interface ProfileNames {
  services: readonly string[];
  databases: readonly string[];
}

function refTo(kind: "services" | "databases", names: readonly string[] | undefined) {
  return z
    .string({ error: must(`a key of the profile's ${kind}`) })
    .superRefine((value, ctx) => {
      if (names && !names.includes(value))
        ctx.addIssue({
          code: "custom",
          message: `is ${shown(value)}; ${names.length > 0 ? `use one of the target's ${kind}: ${names.join(", ")}` : `the profile names no ${kind}`}.`,
        });
    })
    .meta({
      description:
        kind === "services"
          ? "The service it goes to: a key of the profile's `services`."
          : "The database it runs on: a key of the profile's `databases`.",
    });
}

/** A key of the profile's services. */
export const serviceRef = (names?: ProfileNames) => refTo("services", names?.services);

/** A key of the profile's databases. */
const databaseRef = (names?: ProfileNames) => refTo("databases", names?.databases);

/** The joint suites' two services. */
export const jointService = () =>
  oneOf(["pasukuru", "curva"]).meta({
    description: "The service it goes to: `pasukuru` or `curva`.",
  });

/** One parameterised statement: `text` uses $1..$n, `values(args)` fills them. */
export function sqlStatement<Args>(names?: ProfileNames) {
  return obj({
    database: databaseRef(names),
    text: z
      .string({ error: must("SQL") })
      .refine((t) => t.trim() !== "", { error: must("SQL") })
      .meta({ description: "The SQL, with $1..$n where `values` go (never a value spliced in)." }),
    values: fn<(args: Args) => unknown[]>("(args) => the statement's values"),
  });
}

/** Statements run in order. */
export const sqlStatements = <Args>(names?: ProfileNames) =>
  z.array(sqlStatement<Args>(names), {
    error: must("a list of { database, text, values }"),
  });
