import { build } from "esbuild";
import { packageFile } from "../../../lib/packageFile.ts";

export const K6_SCRIPTS = {
  load: packageFile("load/engines/k6/scripts/loadScript.ts"),
  selfcheck: packageFile("load/engines/k6/scripts/selfcheck.ts"),
} as const;

/**
 * One k6 entry script as one JavaScript file: ESM, platform-neutral, with
 * `k6` and `k6/*` left to k6. Every k6 release runs it (only 0.57 and later
 * run TypeScript themselves), and a single file is what the k6-operator
 * ships in a ConfigMap.
 */
export async function bundleK6Script(entry: URL, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry.pathname],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2021",
    external: ["k6", "k6/*"],
    logLevel: "silent",
  });
}
