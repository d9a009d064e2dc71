#!/usr/bin/env node
// Compiles the harness's TypeScript to JavaScript in dist/, one file per source file, so the
// `bin` starts without transforming TypeScript (tsx stays for development and tests). Run by
// `pnpm install` (prepare) and `pnpm build`; bin/harness.mjs uses dist/ only while it is fresh
// (no source newer than the build), else it runs the source through tsx as before.
// Plain JavaScript: it runs before anything else is built.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** What the bin runs: every suite, the targets, the reference stack, and the public config entry. */
const FOLDERS = ["cli", "lib", "load", "probe", "smoke", "watch", "targets", "fixtures"];
const FILES = ["config.ts", "harness.config.ts"];
/** Bundled by esbuild at run time for k6, from source (runtime-neutral scripts, not Node's). */
const NOT_COMPILED = ["load/engines/k6/scripts/"];

function sources(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (NOT_COMPILED.some((skip) => `${path}/`.startsWith(skip))) return [];
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Keeps each file its own module: a relative import stays an import, of the compiled file. */
const eachFileItsOwn = {
  name: "each-file-its-own",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const path = args.path.endsWith(".ts") ? `${args.path.slice(0, -3)}.js` : args.path;
      return { path, external: true };
    });
  },
};

const began = Date.now();
const entryPoints = [...FOLDERS.flatMap(sources), ...FILES];
const out = join(ROOT, `dist.building-${process.pid}`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
await build({
  entryPoints: entryPoints.map((p) => join(ROOT, p)),
  outdir: out,
  outbase: ROOT,
  bundle: true,
  packages: "external",
  plugins: [eachFileItsOwn],
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});
// The sources and the moment they were read: a source changed after it makes the build stale.
writeFileSync(
  join(out, "build.json"),
  `${JSON.stringify({ builtAtMs: began, sources: entryPoints }, null, 1)}\n`,
);
// Swapped in whole: a process starting meanwhile sees the old build or none (then tsx), never half.
const dist = join(ROOT, "dist");
const old = join(ROOT, `dist.old-${process.pid}`);
try {
  renameSync(dist, old);
} catch {}
renameSync(out, dist);
rmSync(old, { recursive: true, force: true });
console.log(
  `dist/: ${entryPoints.length} files compiled in ${Date.now() - began} ms (${relative(process.cwd(), dist) || "."})`,
);
