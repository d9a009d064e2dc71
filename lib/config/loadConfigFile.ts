import { existsSync } from "node:fs";
import { access } from "node:fs/promises";
import { register } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BoundExceededError, withinBound } from "../drivers/withinBound.ts";
import { ConfigError, describeError } from "../errors.ts";
import { packageFile, RUNS_COMPILED } from "../packageFile.ts";
import type { HarnessConfig } from "./defineConfig.ts";
import { harnessConfigSchema } from "./schemas/configSchema.ts";
import { schemaProblems } from "./schemas/schemaProblems.ts";

/** Problems with the shape of a config module's default export (empty when it is usable). */
function configShapeProblems(file: string, value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [
      `${file}: the default export is ${value === null ? "null" : Array.isArray(value) ? "a list" : typeof value}; export default an object { targets: { ... } }.`,
    ];
  }
  // A typo anywhere (`prodution: true`) is an error, never a silent default.
  return schemaProblems(harnessConfigSchema, value, file, "", {
    sep: ": ",
    rootName: "the config",
  });
}

/** How long a config file may take to load, a default-exported promise included. */
const CONFIG_LOAD_DEFAULTS = { boundMs: 10_000 } as const;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

let compiledHooks = false;

/**
 * What to import for `file`: from the compiled harness, a config the build
 * compiled (the package's own harness.config.ts) is its compiled twin, and
 * any other config goes through the hooks; from source, the file itself.
 */
function configUrl(file: string): string {
  const url = pathToFileURL(file).href;
  if (!RUNS_COMPILED) return url;
  const root = packageFile("").href;
  if (url.startsWith(root) && url.endsWith(".ts")) {
    const twin = packageFile(`dist/${url.slice(root.length, -3)}.js`);
    if (existsSync(twin)) return twin.href;
  }
  // Any other config, `.mjs` too: one may import the harness's `.ts` files (the tests' configs do).
  registerCompiledHooks();
  return url;
}

/**
 * From the compiled harness, a TypeScript config is loaded through hooks of
 * our own (compiledConfigHooks.mjs): the harness's files resolve to the
 * modules already running, anything else is compiled by esbuild. Registered
 * once, only when a config is loaded: no other import pays for them.
 */
function registerCompiledHooks(): void {
  if (compiledHooks) return;
  compiledHooks = true;
  register(packageFile("lib/config/compiledConfigHooks.mjs"), {
    data: { root: packageFile("").href, dist: packageFile("dist/").href },
  });
}

/**
 * Loads a config file from anywhere: a module whose default export is the
 * config object (or a promise of it). A `.ts` config loads without a build
 * step (tsx from source; compiledConfigHooks.mjs from dist/). Bounded: a top-level await or a default export that never
 * settles is a ConfigError naming the file, never a hang (nor, once the event
 * loop empties, a silent exit 0).
 */
export async function loadConfigFile(
  path: string,
  cwd = process.cwd(),
  boundMs: number = CONFIG_LOAD_DEFAULTS.boundMs,
): Promise<HarnessConfig> {
  const file = resolve(cwd, path);
  try {
    await access(file);
  } catch {
    throw new ConfigError([
      `--config ${path}: no such file (looked at ${file}). Pass an existing file.`,
    ]);
  }
  let config: unknown;
  try {
    config = await withinBound(
      async () => {
        const module = (await import(configUrl(file))) as { default?: unknown };
        return isThenable(module.default) ? await module.default : module.default;
      },
      boundMs,
      `--config ${path}`,
    );
  } catch (error) {
    if (error instanceof BoundExceededError) {
      throw new ConfigError([
        `--config ${path}: loading did not finish within ${boundMs} ms (a top-level await or a default-exported promise that never settles). Make the module's default export settle.`,
      ]);
    }
    throw new ConfigError([`--config ${path}: the module failed to load: ${describeError(error)}`]);
  }
  const problems = configShapeProblems(path, config);
  if (problems.length > 0) throw new ConfigError(problems, "The config file is invalid");
  return config as HarnessConfig;
}
