import { readFile, writeFile } from "node:fs/promises";
import { expect } from "vitest";

/**
 * Test support: compares `text` with the golden file at `file`.
 * `UPDATE_GOLDEN=1 pnpm test` rewrites the files after a deliberate change;
 * review the diff before committing it.
 */
export async function expectGolden(file: URL, text: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN === "1") await writeFile(file, text);
  let golden: string;
  try {
    golden = await readFile(file, "utf8");
  } catch {
    throw new Error(
      `no golden file ${file.pathname}: run UPDATE_GOLDEN=1 pnpm test to write it, then review it`,
    );
  }
  expect(text).toBe(golden);
}
