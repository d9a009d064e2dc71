import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExampleApi } from "../testkit/exampleApi.ts";
import { startExampleReceiver } from "../testkit/exampleReceivers.ts";
import { readSummary } from "../testkit/readSummary.ts";
import { REPO, runHarness } from "../testkit/runHarness.ts";
import { INIT_KINDS } from "./initCommand.ts";

/*
 * `harness init` in another team's repository (a folder outside this one,
 * the harness installed by name): it writes a config for a kind, says what
 * to export and how to run it, and what it wrote passes the schema and runs
 * green against a receiver of that kind; it never overwrites a config
 * unasked, and a misspelt kind names the nearest.
 */

let home = "";
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "team-init-"));
  await mkdir(join(home, "node_modules"), { recursive: true });
  await symlink(REPO, join(home, "node_modules", "curva-pasukuru-harness"), "dir");
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe("harness init", () => {
  it("writes a Stripe app's config that lists its variables and runs green against a Stripe receiver", async () => {
    const out = join(home, "stripe.config.ts");
    const init = await runHarness(["init", "--kind", "stripe-app", "--out", out]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("Before it runs, export:");
    expect(init.stdout).toContain("STRIPE_WEBHOOK_SECRET is not set");
    expect(init.stdout).toContain(`Then: harness probe --config ${out} --target stripeApp`);
    const receiver = await startExampleReceiver("stripe");
    const reports = join(home, "stripe-reports");
    try {
      const run = await runHarness(
        ["probe", "--config", out, "--target", "stripeApp", "--report-dir", reports],
        {
          STRIPE_APP_URL: receiver.url,
          STRIPE_WEBHOOK_SECRET: receiver.secret,
          STRIPE_APP_DATABASE_URL: receiver.databaseUrl,
          STRIPE_APP_SCHEMA: receiver.schema,
        },
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect((await readSummary(reports)).outcome).toBe("pass");
    } finally {
      await receiver.stop();
    }
  }, 60_000);

  it("generic: an HTTP API's surface, green against a healthy API", async () => {
    const out = join(home, "generic.config.ts");
    expect((await runHarness(["init", "--kind", "generic", "--out", out])).code).toBe(0);
    const api = await startExampleApi();
    try {
      const run = await runHarness(
        ["probe", "--config", out, "--target", "app", "--report-dir", join(home, "g")],
        {
          APP_URL: api.url,
          APP_HEALTH_PATH: "/api/health",
          APP_PROTECTED_PATH: "/api/creator/stats",
        },
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/A1 .*PASS|PASS.*A1/);
    } finally {
      await api.stop();
    }
  }, 60_000);

  it("every kind is a tested example, and each imports only the package's public entry", async () => {
    for (const { file } of Object.values(INIT_KINDS)) {
      const text = await readFile(join(REPO, "examples", file), "utf8");
      expect([...text.matchAll(/from "([^"]+)"/g)].map((m) => m[1])).toEqual(
        expect.arrayContaining(["curva-pasukuru-harness/config"]),
      );
      expect(text).not.toMatch(/from "\.\.?\//);
    }
  });

  it("never overwrites a config unasked; --force replaces it", async () => {
    const out = join(home, "mine.config.ts");
    await writeFile(out, "// ours\n");
    const refused = await runHarness(["init", "--kind", "generic", "--out", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("exists: init writes a new config");
    expect(await readFile(out, "utf8")).toBe("// ours\n");
    expect((await runHarness(["init", "--kind", "generic", "--out", out, "--force"])).code).toBe(0);
    expect(await readFile(out, "utf8")).toContain("--kind generic");
  });

  it("a missing or misspelt kind is exit 2 naming the kinds and the nearest", async () => {
    const none = await runHarness(["init"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("init needs --kind <kind>: one of stripe-app, whop-app");
    const typo = await runHarness(["init", "--kind", "line-bto", "--out", join(home, "x.ts")]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean line-bot?");
  });
});
