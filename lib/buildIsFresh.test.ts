import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript, run by the bin before anything is compiled.
import { buildIsFresh } from "./buildIsFresh.mjs";

describe("buildIsFresh", () => {
  let dir: string;
  let root: URL;
  const BUILT_AT = Date.UTC(2026, 11, 7, 12, 0, 0);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "build-fresh-"));
    root = pathToFileURL(`${dir}/`);
    await mkdir(`${dir}/dist`);
    await mkdir(`${dir}/lib`);
    for (const file of ["lib/a.ts", "lib/b.ts"]) {
      await writeFile(`${dir}/${file}`, "export {};\n");
      await utimes(`${dir}/${file}`, new Date(BUILT_AT - 60_000), new Date(BUILT_AT - 60_000));
    }
    await writeFile(
      `${dir}/dist/build.json`,
      JSON.stringify({ builtAtMs: BUILT_AT, sources: ["lib/a.ts", "lib/b.ts"] }),
    );
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("is fresh when every source is older than the build", () => {
    expect(buildIsFresh(root)).toBe(true);
  });

  it("is stale when a source was edited after the build: the bin runs the source instead", async () => {
    await utimes(`${dir}/lib/b.ts`, new Date(BUILT_AT + 1), new Date(BUILT_AT + 1));
    expect(buildIsFresh(root)).toBe(false);
  });

  it("is stale when a source is gone, and when there is no build or it is unreadable", async () => {
    await rm(`${dir}/lib/a.ts`);
    expect(buildIsFresh(root)).toBe(false);
    await writeFile(`${dir}/lib/a.ts`, "export {};\n");
    await utimes(`${dir}/lib/a.ts`, new Date(BUILT_AT - 1), new Date(BUILT_AT - 1));
    await writeFile(`${dir}/dist/build.json`, "{ half a manifest");
    expect(buildIsFresh(root)).toBe(false);
    await rm(`${dir}/dist`, { recursive: true });
    expect(buildIsFresh(root)).toBe(false);
  });
});
