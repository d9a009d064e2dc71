import { resolve } from "node:path";
import { bundleK6Script, K6_SCRIPTS } from "./bundleK6Script.ts";

/**
 * `pnpm k6:bundle <script> <out.js>`: writes one k6 entry script as a single
 * JavaScript file, for `k6 run` in CI (the self-check) or a k6-operator ConfigMap.
 */
const [name, out] = process.argv.slice(2);
if (!name || !out || !Object.hasOwn(K6_SCRIPTS, name)) {
  process.stderr.write(`Usage: pnpm k6:bundle <${Object.keys(K6_SCRIPTS).join("|")}> <out.js>\n`);
  process.exit(2);
}
await bundleK6Script(K6_SCRIPTS[name as keyof typeof K6_SCRIPTS], resolve(out));
process.stdout.write(`${resolve(out)}\n`);
