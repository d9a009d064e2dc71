import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runHarness } from "../testkit/runHarness.ts";
import { inTempDir } from "../testkit/tempDir.ts";
import { parseArgs, resolveOptions } from "./commandLine.ts";

/*
 * Flags and config files say no out loud: nothing a user typed is dropped
 * or misread in silence.
 */

describe("flags", () => {
  it("a repeated --threshold accumulates, as k6's repeated flags do", () => {
    const parsed = parseArgs([
      "load",
      "--threshold",
      "http_req_duration{scenario:identify,endpoint:identify}=p(95)<400",
      "--threshold",
      "http_5xx{scenario:identify}=rate<0.01",
    ]);
    expect(parsed.problems).toEqual([]);
    const { options, problems } = resolveOptions(parsed, {}, {});
    expect(problems).toEqual([]);
    expect(options.thresholds).toEqual({
      "http_req_duration{scenario:identify,endpoint:identify}": "p(95)<400",
      "http_5xx{scenario:identify}": "rate<0.01",
    });
  });

  it("a repeated single-value flag is a usage error, not a silent pick", () => {
    expect(parseArgs(["smoke", "--target", "a", "--target", "b"]).problems).toEqual([
      '--target is given twice ("a", "b"): give it once.',
    ]);
  });

  it("a duration past what a timer holds is an error with the allowed range", () => {
    const { problems } = resolveOptions(parseArgs(["smoke", "--request-timeout", "25d"]), {}, {});
    expect(problems).toEqual([
      '--request-timeout="25d" is longer than a timer can hold (Node\'s timers overflow past 24.8 days and fire at once). Use 1ms to 24d.',
    ]);
    expect(
      resolveOptions(parseArgs(["smoke", "--request-timeout", "24d"]), {}, {}).problems,
    ).toEqual([]);
  });

  it("as processes: --request-timeout 25d and a repeated --target are exit 2", async () => {
    for (const args of [
      ["smoke", "--request-timeout", "25d"],
      ["smoke", "--target", "local", "--target", "staging"],
    ]) {
      const run = await runHarness(args);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^Usage error:/m);
    }
  });

  it("a repeated --threshold is honoured in a run: the first of two limits, impossible to meet, fails it", async () => {
    await inTempDir(async (dir) => {
      const run = await runHarness([
        "load",
        "--engine",
        "node",
        "--scenario",
        "webhook",
        "--duration",
        "2s",
        "--connections",
        "5",
        "--threshold",
        "http_req_duration{scenario:webhook,endpoint:webhook}=p(95)<0.001",
        "--threshold",
        "http_5xx{scenario:webhook}=rate<1",
        "--report-dir",
        dir,
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toMatch(/^ {2}FAIL {2}webhook webhook p95 +p\(95\)<0\.001 /m);
      expect(run.stdout).toMatch(/^ {2}PASS {2}webhook 5xx +rate<1 /m);
    });
  });
});

const CONFIG_HEAD = `
import { localTarget } from ${JSON.stringify(join(import.meta.dirname, "../targets/localTarget.ts"))};
import { envTarget } from ${JSON.stringify(join(import.meta.dirname, "../targets/envTarget.ts"))};
`;

/**
 * A config file whose `local` target is the local stack with its profile
 * changed by `change` (a JavaScript expression over `profile`), written to `dir`.
 */
async function localWith(dir: string, change: string): Promise<string> {
  const file = join(dir, "local.config.mjs");
  await writeFile(
    file,
    `${CONFIG_HEAD}export default { targets: { local: { description: "local", async setup(ctx) {
      const session = await localTarget.setup(ctx);
      const profile = session.profile;
      return { ...session, profile: ${change} };
    } } } };\n`,
  );
  return file;
}

describe("config files", () => {
  it("a `prodution: true` typo is exit 2 naming the key, its place and the nearest known key", async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, "typo.config.mjs");
      await writeFile(
        file,
        `${CONFIG_HEAD}export default { targets: { prod: { ...envTarget("PRODUCTION", false), prodution: true } } };\n`,
      );
      const run = await runHarness(["smoke", "--config", file, "--target", "prod"]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain(
        "targets.prod: `prodution` is not a key; did you mean `production`?",
      );
    });
  });

  it("an unknown key inside the profile setup() returns is exit 2 with its place", async () => {
    await inTempDir(async (dir) => {
      const file = await localWith(dir, "{ ...profile, load: { ...profile.load, thresolds: {} } }");
      const run = await runHarness(["smoke", "--config", file, "--target", "local"]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain(
        "targets.local.load: `thresolds` is not a key; did you mean `thresholds`?",
      );
    });
  });

  it("production: true inside the profile setup() returns is honoured: refused without --confirm-production", async () => {
    await inTempDir(async (dir) => {
      const file = await localWith(dir, "{ ...profile, production: true }");
      const run = await runHarness(["smoke", "--config", file, "--target", "local"]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(
        /^Refusing to run against production:\n {2}- --target local is marked production: true \(by the profile its setup\(\) returns\)/m,
      );
    });
  });

  it("load refused on the production target names PRODUCTION_LOAD_ALLOWED", async () => {
    const run = await runHarness(
      ["load", "--target", "production", "--confirm-production", "--scenario", "webhook"],
      {
        PRODUCTION_PASUKURU_URL: "http://127.0.0.1:1",
        PRODUCTION_CURVA_URL: "http://127.0.0.1:1",
        PRODUCTION_TEST_HELPER_SECRET: "s3cret-not-used",
        PRODUCTION_PASUKURU_DATABASE_URL: "postgres://postgres@127.0.0.1:1/x",
        PRODUCTION_CURVA_DATABASE_URL: "postgres://postgres@127.0.0.1:1/x",
        PRODUCTION_REDIS_URL: "redis://127.0.0.1:1",
        PRODUCTION_LINE_TOKEN_URL: "http://127.0.0.1:1",
        PRODUCTION_WEBHOOK_SIGNING_SECRET: "whsec-not-used",
      },
    );
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain("Allow it with PRODUCTION_LOAD_ALLOWED=true");
    expect(run.stderr).not.toContain("STAGING_");
  });

  it("a Standard Webhooks secret that is not whsec_<base64> is exit 2 before any load", async () => {
    await inTempDir(async (dir) => {
      const file = await localWith(
        dir,
        '{ ...profile, load: { ...profile.load, webhook: { ...profile.load.webhook, signing: { scheme: "standardWebhooks", secret: "whsec_not base64!" } } } }',
      );
      const run = await runHarness([
        "load",
        "--config",
        file,
        "--target",
        "local",
        "--engine",
        "node",
        "--scenario",
        "webhook",
        "--duration",
        "2s",
      ]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(
        /load\.webhook\.signing\.secret is not usable: a Standard Webhooks secret is whsec_ followed by the base64 of its key/,
      );
      expect(run.stderr).not.toMatch(/webhook: \d+ connections for/);
      expect(run.stderr).not.toContain("not base64!");
    });
  });
});
