/**
 * Where the package's files are, whether this code runs from its TypeScript
 * source (development, tests) or from the JavaScript build in dist/ (the
 * `bin`, after `pnpm install`): the build compiles code only, so assets
 * (migrations, schemas, templates, the k6 scripts esbuild bundles) are always
 * read from the source tree.
 */

/** True when this process runs the build in dist/, not the TypeScript source. */
export const RUNS_COMPILED = import.meta.url.endsWith(".js");

const ROOT = new URL(RUNS_COMPILED ? "../../" : "../", import.meta.url);

/** A file of the package by its path from the package's root, e.g. `lib/report/junit-10.xsd`. */
export function packageFile(path: string): URL {
  return new URL(path, ROOT);
}
