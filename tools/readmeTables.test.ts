import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { envVariablesTable } from "../targets/envVariables.ts";
import {
  folderReadmeProblems,
  GENERATED_TABLES,
  readmeTableProblems,
  withGeneratedTables,
} from "./readmeTables.ts";

describe("the README's generated tables", () => {
  it("the README's STAGING_* table is the generated one", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    expect(readmeTableProblems(readme)).toEqual([]);
  });

  it("a hand edit of the table fails the lint, and so does a missing marker", () => {
    const marker = GENERATED_TABLES[0].marker;
    const edited = `${marker}\n${envVariablesTable("STAGING").replace("Curva's base URL", "Curva")}\n`;
    expect(readmeTableProblems(edited)[0]).toMatch(/differs from the generated one/);
    expect(readmeTableProblems("no table here")[0]).toMatch(/the marker .* is missing/);
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
    expect(readmeTableProblems(stale).some((p) => p.includes(marker))).toBe(true);
    const fixed = withGeneratedTables(stale);
    expect(fixed.endsWith("\n\nafter\n")).toBe(true);
    expect(readmeTableProblems(fixed).filter((p) => p.includes(marker))).toEqual([]);
  });
});
