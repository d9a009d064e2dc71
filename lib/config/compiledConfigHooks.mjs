// Module hooks for loading a TypeScript config from the compiled harness (dist/), registered by
// loadConfigFile only there (from source, tsx loads configs). A `.ts` file of the harness that the
// build compiled resolves to its compiled twin, so a config shares the running harness's modules
// (one ConfigError class, one registry) instead of loading a second copy; any other `.ts` (the
// config itself, a team's own helpers) is compiled on the way in by esbuild, as tsx would.
// Plain JavaScript: Node loads hooks before anything is compiled.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";

let root = "";
let dist = "";

export function initialize(data) {
  root = data.root;
  dist = data.dist;
}

/** tsx's leniency for a config's own imports: `./x.js` for `./x.ts`, `./x`, `./dir` for `./dir/index.ts`. */
async function resolveLeniently(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTs = context.parentURL?.endsWith(".ts");
    const missing =
      error?.code === "ERR_MODULE_NOT_FOUND" || error?.code === "ERR_UNSUPPORTED_DIR_IMPORT";
    if (!missing || !fromTs || !/^\.\.?\//.test(specifier)) throw error;
    const tries = [specifier.replace(/\.js$/, ".ts"), `${specifier}.ts`, `${specifier}/index.ts`];
    for (const candidate of tries) {
      if (candidate !== specifier && existsSync(new URL(candidate, context.parentURL)))
        return nextResolve(candidate, context);
    }
    throw error;
  }
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await resolveLeniently(specifier, context, nextResolve);
  const { url } = resolved;
  if (url.startsWith(root) && !url.startsWith(dist) && url.endsWith(".ts")) {
    const twin = `${dist}${url.slice(root.length, -3)}.js`;
    if (existsSync(new URL(twin))) return { url: twin, format: "module", shortCircuit: true };
  }
  return resolved;
}

let esbuild;

export async function load(url, context, nextLoad) {
  if (!/\.m?ts$/.test(url) || !url.startsWith("file:")) return nextLoad(url, context);
  esbuild ??= await import("esbuild");
  const source = await readFile(new URL(url), "utf8");
  const { code } = await esbuild.transform(source, {
    loader: "ts",
    format: "esm",
    platform: "node",
    target: "node20",
    sourcefile: url,
    sourcemap: "inline",
  });
  return { format: "module", source: code, shortCircuit: true };
}
