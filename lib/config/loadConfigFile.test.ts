import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { loadConfigFile } from "./loadConfigFile.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "harness-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsOf(path: string): Promise<readonly string[]> {
  const error = await loadConfigFile(path, dir).catch((e: unknown) => e);
  if (!(error instanceof ConfigError))
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error.problems;
}

describe("loadConfigFile", () => {
  it("loads a plain default-exported object from outside the repo", async () => {
    await writeFile(
      join(dir, "ok.config.mjs"),
      'export default { targets: { qa: { description: "qa", setup: async () => ({}) } } };',
    );
    const config = await loadConfigFile("ok.config.mjs", dir);
    expect(Object.keys(config.targets)).toEqual(["qa"]);
  });

  it("lists every shape problem at once", async () => {
    await writeFile(
      join(dir, "bad.config.mjs"),
      'export default { defaults: { timout: "5s", phase: 3 }, targets: { a: { setup: 1 }, b: "x" } };',
    );
    expect(await problemsOf("bad.config.mjs")).toEqual([
      "bad.config.mjs: defaults.phase must be a string, as it would be typed on the command line.",
      "bad.config.mjs: defaults: `timout` is not a key; did you mean `timeout`?",
      "bad.config.mjs: targets.a.description must be a string saying what the target is.",
      "bad.config.mjs: targets.a.setup is 1: it must be a function (context) => { profile, teardown? }.",
      'bad.config.mjs: targets.b is "x": it must be an object ({ description, setup }).',
    ]);
  });

  it("names a missing file and a module that fails to load", async () => {
    expect((await problemsOf("nope.config.mjs"))[0]).toMatch(
      /^--config nope\.config\.mjs: no such file/,
    );
    await writeFile(join(dir, "throws.config.mjs"), 'throw new Error("boom");');
    expect(await problemsOf("throws.config.mjs")).toEqual([
      "--config throws.config.mjs: the module failed to load: boom",
    ]);
  });
});
