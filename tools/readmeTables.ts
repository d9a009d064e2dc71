import { envVariablesTable } from "../targets/envVariables.ts";

/*
 * Tables the README shows but the code owns: each is generated, and the lint
 * fails when the README's copy differs (as --help is generated from the
 * option table).
 */

export const GENERATED_TABLES = [
  {
    marker:
      '<!-- generated: envVariablesTable("STAGING") from targets/envVariables.ts; pnpm lint checks it -->',
    table: () => envVariablesTable("STAGING"),
  },
] as const;

/** Each generated table the README lacks, or has out of date, as a sentence naming what to do. */
export function readmeTableProblems(readme: string): string[] {
  const problems: string[] = [];
  for (const { marker, table } of GENERATED_TABLES) {
    const at = readme.indexOf(marker);
    if (at === -1) {
      problems.push(
        `README.md: the marker ${marker} is missing; the generated table goes right after it.`,
      );
      continue;
    }
    const expected = table();
    const actual = readme.slice(at + marker.length + 1, at + marker.length + 1 + expected.length);
    if (actual !== expected)
      problems.push(
        `README.md: the table after ${marker} differs from the generated one; replace it with:\n${expected}`,
      );
  }
  return problems;
}
