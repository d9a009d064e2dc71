import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readSources } from "./importRules.ts";
import { unusedExports } from "./unusedExports.ts";

describe("unusedExports", () => {
  it("reports an exported value nothing imports, with its file and line; a used one is not reported", () => {
    const found = unusedExports([
      {
        path: "lib/a.ts",
        text: "export const USED = 1;\n\nexport function orphan() {}\nexport type Shape = { x: 1 };\nexport async function alsoUsed() {}\n",
      },
      {
        path: "smoke/b.ts",
        text: 'import {\n  USED,\n  type Shape,\n  alsoUsed as renamed,\n} from "../lib/a.ts";\n',
      },
    ]);
    expect(found).toEqual([{ file: "lib/a.ts", line: 3, name: "orphan" }]);
  });

  it("counts namespace, dynamic and star imports as using everything, and a default import as default", () => {
    const files = (importer: string) => [
      { path: "lib/a.ts", text: "export const A = 1;\nexport class B {}\n" },
      { path: "cli/c.ts", text: importer },
    ];
    for (const importer of [
      'import * as a from "../lib/a.ts";',
      'const { A } = await import("../lib/a.ts");',
      'export * from "../lib/a.ts";',
    ])
      expect(unusedExports(files(importer))).toEqual([]);
    expect(unusedExports(files('import a, { B } from "../lib/a.ts";'))).toEqual([
      { file: "lib/a.ts", line: 1, name: "A" },
    ]);
  });

  it("leaves k6 scripts alone: k6 reads their exports", () => {
    expect(
      unusedExports([
        { path: "load/engines/k6/scripts/s.ts", text: "export const options = {};\n" },
      ]),
    ).toEqual([]);
  });

  it("finds nothing in the tree", async () => {
    const root = resolve(import.meta.dirname, "..");
    const tracked = execFileSync(
      "git",
      ["ls-files", "--cached", "--others", "--exclude-standard"],
      {
        cwd: root,
        encoding: "utf8",
      },
    )
      .split("\n")
      .filter(Boolean);
    expect(unusedExports(await readSources(root, tracked))).toEqual([]);
  });
});
