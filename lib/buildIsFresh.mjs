// Whether the JavaScript build in dist/ may run: it exists and no source it was made from is newer
// than the build (or gone). Plain JavaScript: the bin asks before anything is loaded.
import { readFileSync, statSync } from "node:fs";

/** `root`: the package's root URL; the build's manifest is `dist/build.json` (tools/buildDist.mjs). */
export function buildIsFresh(root) {
  try {
    const build = JSON.parse(readFileSync(new URL("dist/build.json", root), "utf8"));
    return build.sources.every((file) => statSync(new URL(file, root)).mtimeMs <= build.builtAtMs);
  } catch {
    return false;
  }
}
