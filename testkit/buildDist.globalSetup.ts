import { execFileSync } from "node:child_process";
import { REPO } from "./runHarness.ts";

/**
 * Before any test: the build in dist/ made from the source under test, so a
 * test that spawns the bin runs what a user runs (the compiled harness), and
 * never a build older than an edit (the bin would fall back to tsx then, but
 * slower and not the path users take).
 */
export default function setup(): void {
  execFileSync(process.execPath, ["tools/buildDist.mjs"], { cwd: REPO, stdio: "inherit" });
}
