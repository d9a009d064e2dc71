import type { StackHandle } from "../fixtures/referenceStack.ts";
import { countOf } from "./leftovers.ts";

/* Test support: a probe run's verdicts by probe and receiver, and what it left in Curva's tables. */

/** "W2 curvaLine" → status: each probe against each receiver; "C1 http" for the HTTP surface's. */
export function verdicts(result: {
  checks: { name: string; status: string }[];
}): Record<string, string> {
  return Object.fromEntries(
    result.checks.map((c) => {
      const [, id, receiver] = /^(\S+) .*?(?: \((\w+)\))?$/.exec(c.name) ?? [];
      return [`${id} ${receiver ?? "http"}`, c.status];
    }),
  );
}

/** Everything a probe run could leave in Curva's tables (a fresh stack per test: all of it is the run's). */
export async function curvaRows(stack: StackHandle): Promise<number> {
  const c = stack.schemas.curva;
  let n = 0;
  for (const table of ["webhook_log", "processed_events", "line_events"])
    n += await countOf(stack, `SELECT count(*)::int AS n FROM "${c}".${table}`, []);
  return n;
}
