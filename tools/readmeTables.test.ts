import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { envVariablesTable } from "../targets/envVariables.ts";
import {
  folderReadmeProblems,
  GENERATED_TABLES,
  linkProblems,
  README_MAX_LINES,
  readmeTableProblems,
  TABLE_FILES,
  withGeneratedTables,
} from "./readmeTables.ts";

const ENV_FILE = GENERATED_TABLES[0].file;

describe("the docs' generated tables", () => {
  it("every generated table is the generated one, in the file that documents it", async () => {
    for (const file of TABLE_FILES) {
      const text = await readFile(new URL(`../${file}`, import.meta.url), "utf8");
      expect(readmeTableProblems(text, file)).toEqual([]);
    }
  });

  it("a hand edit of the table fails the lint, and so does a missing marker", () => {
    const marker = GENERATED_TABLES[0].marker;
    const edited = `${marker}\n${envVariablesTable("STAGING").replace("Curva's base URL", "Curva")}\n`;
    expect(readmeTableProblems(edited, ENV_FILE)[0]).toMatch(
      /^docs\/targets\.md: the table .* differs from the generated one/,
    );
    expect(readmeTableProblems("no table here", ENV_FILE)[0]).toMatch(/the marker .* is missing/);
  });

  it("the README is a front door: at most README_MAX_LINES lines", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    expect(readme.split("\n").length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("a relative link that leads nowhere is named; one that resolves, a web link and an anchor are not", () => {
    const exists = (path: string) =>
      ["docs/targets.md", "probe/README.md", "README.md"].includes(path);
    expect(
      linkProblems(
        "probe/README.md",
        "[t](../docs/targets.md#env) [w](https://example.test/x) [a](#top) [gone](../docs/gone.md)",
        exists,
      ),
    ).toEqual(["probe/README.md: the link to ../docs/gone.md leads nowhere (no docs/gone.md)."]);
    expect(linkProblems("README.md", "[p](probe/README.md)", exists)).toEqual([]);
  });

  it("a folder README that does not name one of its files is reported; tests and goldens are not listed", () => {
    const files = ["watch/a.ts", "watch/b.ts", "watch/b.test.ts", "load/engine/c.ts"];
    expect(folderReadmeProblems("watch", "| `a.ts` | x |", files)).toEqual([
      "watch/README.md does not name watch/b.ts: add it to its files table.",
    ]);
    expect(folderReadmeProblems("load", "| `engine/c.ts` | x |", files)).toEqual([]);
    expect(folderReadmeProblems("smoke", undefined, files)[0]).toMatch(/is missing/);
  });
});

describe("withGeneratedTables", () => {
  it("replaces a stale table after its marker up to the blank line, and then the check passes", () => {
    const { marker } = GENERATED_TABLES[0];
    const stale = `# t\n\n${marker}\n| old | table |\n|---|---|\n\nafter\n`;
    expect(readmeTableProblems(stale, ENV_FILE).some((p) => p.includes(marker))).toBe(true);
    const fixed = withGeneratedTables(stale, ENV_FILE);
    expect(fixed.endsWith("\n\nafter\n")).toBe(true);
    expect(readmeTableProblems(fixed, ENV_FILE).filter((p) => p.includes(marker))).toEqual([]);
  });
});
