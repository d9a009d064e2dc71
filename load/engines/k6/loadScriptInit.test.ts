import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { K6_ENV } from "../../k6format/k6Plan.ts";

/*
 * What `k6 archive` captures is whatever the script's init stage opens. The
 * load script, bundled as for k6 and run here with k6's modules stubbed:
 * without HARNESS_K6_REQUESTS its init opens the plan alone (an archive of
 * it carries no request, so no token); with it, the requests file too (a
 * runner's run). No k6 needed; a real k6's archive is checked in
 * load/distribute/manifests.test.ts where one is installed.
 */

const root = await mkdtemp(join(tmpdir(), "harness-k6-init-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const K6_STUBS: Record<string, string> = {
  "k6/crypto": "export default { hmac: () => '' };",
  "k6/data": "export class SharedArray { constructor(_n, make) { return make(); } }",
  "k6/execution": "export default { test: { abort() {} }, vu: {}, scenario: {} };",
  "k6/http": "export default { expectedStatuses: () => ({}), request: () => ({}) };",
  "k6/metrics": "export class Rate { add() {} }",
};

async function initStage(env: Record<string, string>): Promise<string[]> {
  const out = join(root, `bundle-${Object.keys(env).length}.mjs`);
  await build({
    entryPoints: [new URL("./scripts/loadScript.ts", import.meta.url).pathname],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "neutral",
    logLevel: "silent",
    plugins: [
      {
        name: "k6-stubs",
        setup(b) {
          b.onResolve({ filter: /^k6(\/|$)/ }, (a) => ({ path: a.path, namespace: "k6" }));
          b.onLoad({ filter: /.*/, namespace: "k6" }, (a) => ({
            contents: K6_STUBS[a.path] ?? "",
          }));
        },
      },
    ],
  });
  const opened: string[] = [];
  const files: Record<string, string> = {
    "plan.json": JSON.stringify({ options: {}, scenarios: {}, endpoints: {} }),
    "requests.json": JSON.stringify({}),
  };
  const g = globalThis as unknown as { open: (p: string) => string; __ENV: Record<string, string> };
  g.__ENV = env;
  g.open = (path: string) => {
    opened.push(path);
    return files[path] ?? "";
  };
  await import(`${pathToFileURL(out).href}?${Date.now()}`);
  return opened;
}

describe("the k6 load script's init stage", () => {
  it("opens the plan alone without the requests file's variable, as k6 archive runs it", async () => {
    expect(await initStage({ [K6_ENV.plan]: "plan.json" })).toEqual(["plan.json"]);
  });

  it("opens the requests file too when a runner is given it", async () => {
    expect(
      await initStage({ [K6_ENV.plan]: "plan.json", [K6_ENV.requests]: "requests.json" }),
    ).toEqual(["plan.json", "requests.json"]);
  });
});
