import { resolve } from "node:path";
import { ConfigError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { runEntry } from "../lib/runEntry.ts";
import { bundleK6Script, K6_SCRIPTS } from "../load/engines/k6/bundleK6Script.ts";

/**
 * `pnpm k6:bundle <script> <out.js>`: writes one k6 entry script as a single
 * JavaScript file, for `k6 run` in CI (the self-check) or a k6-operator ConfigMap.
 */
async function main(argv: readonly string[]): Promise<number> {
  const [name, out, ...rest] = argv;
  if (!name || !out || rest.length > 0 || !Object.hasOwn(K6_SCRIPTS, name))
    throw new ConfigError(
      [`Usage: pnpm k6:bundle <${Object.keys(K6_SCRIPTS).join("|")}> <out.js>`],
      "Usage error",
    );
  await bundleK6Script(K6_SCRIPTS[name as keyof typeof K6_SCRIPTS], resolve(out));
  process.stdout.write(`${resolve(out)}\n`);
  return exitCodeFor("pass");
}

runEntry("k6:bundle", () => main(process.argv.slice(2)));
