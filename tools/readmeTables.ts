import { faultsTable } from "../fixtures/referenceStack.ts";
import { probeCatalogueTable } from "../probe/probeCatalogue.ts";
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
  {
    marker:
      "<!-- generated: probeCatalogueTable() from probe/probeCatalogue.ts; pnpm lint checks it -->",
    table: probeCatalogueTable,
  },
  {
    marker: "<!-- generated: faultsTable() from fixtures/stack/faults.ts; pnpm lint checks it -->",
    table: faultsTable,
  },
] as const;

/**
 * The README with every generated table replaced by the current one (the
 * table after each marker runs to the first blank line); a missing marker
 * is left for readmeTableProblems to name.
 */
export function withGeneratedTables(readme: string): string {
  let text = readme;
  for (const { marker, table } of GENERATED_TABLES) {
    const at = text.indexOf(marker);
    if (at === -1) continue;
    const start = at + marker.length + 1;
    const end = text.indexOf("\n\n", start);
    text = `${text.slice(0, start)}${table()}${end === -1 ? "\n" : text.slice(end)}`;
  }
  return text;
}

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

/** The folders whose README lists their files; the lint fails when one is not named there. */
export const LISTED_FOLDERS = ["smoke", "load", "watch", "probe", "fixtures", "examples"] as const;

/**
 * Each source file of a listed folder its README does not name (by its path
 * inside the folder, or its file name): a README that lists its files stays
 * true as files come and go. Tests, SQL and golden files are not listed.
 */
export function folderReadmeProblems(
  folder: string,
  readme: string | undefined,
  files: readonly string[],
): string[] {
  if (readme === undefined) return [`${folder}/README.md is missing: it lists the folder's files.`];
  return files
    .filter((f) => f.startsWith(`${folder}/`) && /\.(ts|json)$/.test(f))
    .filter((f) => !/\.test\.ts$|\/golden\/|\/migrations\//.test(f))
    .filter((f) => {
      const inside = f.slice(folder.length + 1);
      const name = inside.split("/").at(-1) ?? inside;
      return !readme.includes(`\`${inside}\``) && !readme.includes(`\`${name}\``);
    })
    .map((f) => `${folder}/README.md does not name ${f}: add it to its files table.`);
}
