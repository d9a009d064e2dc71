import { faultsTable } from "../fixtures/referenceStack.ts";
import { probeCatalogueTable } from "../probe/probeCatalogue.ts";
import { envVariablesTable } from "../targets/envVariables.ts";

/*
 * Tables the docs show but the code owns: each is generated into the file
 * that documents it, and the lint fails when that copy differs (as --help
 * is generated from the option table).
 */

export const GENERATED_TABLES = [
  {
    file: "docs/targets.md",
    marker:
      '<!-- generated: envVariablesTable("STAGING") from targets/envVariables.ts; pnpm lint checks it -->',
    table: () => envVariablesTable("STAGING"),
  },
  {
    file: "probe/README.md",
    marker:
      "<!-- generated: probeCatalogueTable() from probe/probeCatalogue.ts; pnpm lint checks it -->",
    table: probeCatalogueTable,
  },
  {
    file: "fixtures/README.md",
    marker: "<!-- generated: faultsTable() from fixtures/stack/faults.ts; pnpm lint checks it -->",
    table: faultsTable,
  },
] as const;

/** The files that hold generated tables. */
export const TABLE_FILES = [...new Set(GENERATED_TABLES.map((t) => t.file))];

/**
 * `file`'s text with each of its generated tables replaced by the current
 * one (the table after each marker runs to the first blank line); a missing
 * marker is left for readmeTableProblems to name.
 */
export function withGeneratedTables(readme: string, file: string): string {
  let text = readme;
  for (const { marker, table } of GENERATED_TABLES.filter((t) => t.file === file)) {
    const at = text.indexOf(marker);
    if (at === -1) continue;
    const start = at + marker.length + 1;
    const end = text.indexOf("\n\n", start);
    text = `${text.slice(0, start)}${table()}${end === -1 ? "\n" : text.slice(end)}`;
  }
  return text;
}

/** Each generated table `file` lacks, or has out of date, as a sentence naming what to do. */
export function readmeTableProblems(readme: string, file: string): string[] {
  const problems: string[] = [];
  for (const { marker, table } of GENERATED_TABLES.filter((t) => t.file === file)) {
    const at = readme.indexOf(marker);
    if (at === -1) {
      problems.push(
        `${file}: the marker ${marker} is missing; the generated table goes right after it.`,
      );
      continue;
    }
    const expected = table();
    const actual = readme.slice(at + marker.length + 1, at + marker.length + 1 + expected.length);
    if (actual !== expected)
      problems.push(
        `${file}: the table after ${marker} differs from the generated one; replace it with (pnpm lint:docs --write):\n${expected}`,
      );
  }
  return problems;
}

/** The README is the front door: set-up, commands, one short section per suite with a link. */
export const README_MAX_LINES = 400;

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

/**
 * Each relative link of a Markdown file that leads nowhere: `[x](path)` and
 * `[x](path#anchor)` resolved against the file's folder (web links and
 * same-page anchors are not checked).
 */
export function linkProblems(
  file: string,
  text: string,
  exists: (path: string) => boolean,
): string[] {
  const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  const problems: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = (m[1] as string).split("#")[0] as string;
    if (target === "" || /^[a-z]+:/i.test(target)) continue;
    const parts = [...(folder ? folder.split("/") : []), ...target.split("/")];
    const resolved: string[] = [];
    for (const part of parts) {
      if (part === "..") resolved.pop();
      else if (part !== "." && part !== "") resolved.push(part);
    }
    if (!exists(resolved.join("/")))
      problems.push(`${file}: the link to ${m[1]} leads nowhere (no ${resolved.join("/")}).`);
  }
  return problems;
}
