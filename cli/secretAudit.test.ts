import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { startStack } from "../fixtures/referenceStack.ts";
import { type HarnessRun, runHarness } from "../testkit/runHarness.ts";
import { stagingEnv } from "../testkit/stagingEnv.ts";
import { inTempDir } from "../testkit/tempDir.ts";

/*
 * No character of a secret in any output, checked as an auditor would: a
 * deployed target whose every secret is known, each suite run through the
 * CLI as a release manager runs it, then every file written (summaries,
 * reports, JUnit, shards, manifests, the sign-off) and every console line
 * scanned for every run of six characters of each secret. The one file
 * allowed to hold them is the k6-operator's Kubernetes Secret (mode 600),
 * which exists to carry them.
 */

const WIDTH = 6;

/** Every file under `dir`, gzip opened. */
async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    out.push({ path, text: (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8") });
  }
  return out;
}

/** Where `text` holds WIDTH characters in a row of `secret`: the first such piece. */
function pieceOf(text: string, secret: string): string | undefined {
  for (let i = 0; i + WIDTH <= secret.length; i++) {
    const piece = secret.slice(i, i + WIDTH);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

describe("no character of a secret in any output", () => {
  it("smoke, probe, load, a runner's shard, the generators and the sign-off: no six characters of any secret in any file or console line", async () => {
    const stack = await startStack();
    try {
      await inTempDir(async (dir) => {
        const env = {
          ...stagingEnv(stack),
          STAGING_LOAD_ALLOWED: "true",
          STAGING_WEBHOOK_SIGNING_SECRET: stack.secrets.webhookSigningSecret,
          STAGING_LINE_CHANNEL_SECRET: stack.secrets.lineChannelSecret,
          STAGING_BOARD_JWT_KEY: stack.secrets.adminJwtSecret,
          STAGING_CORS_ORIGINS: stack.origins.liff.join(","),
          STAGING_DEV_ORIGINS: stack.origins.dev,
          STAGING_IDENTIFY_GUARD: `${stack.identifyGuard.limit}/${stack.identifyGuard.windowMs}`,
          STAGING_PROBE_OUTAGE_HELPER: "true",
        };
        const at = (name: string) => join(dir, name);
        const runs: [string, HarnessRun][] = [];
        const run = async (args: string[]) => {
          const result = await runHarness(args, env);
          runs.push([args.slice(0, 1).join(" "), result]);
          return result;
        };
        const smoke = await run(["smoke", "--target", "staging", "--report-dir", at("smoke")]);
        expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
        const probe = await run(["probe", "--target", "staging", "--report-dir", at("probe")]);
        expect([0, 1], probe.stdout + probe.stderr).toContain(probe.code);
        /** A short Node-engine load of `scenarios` against staging, then `where` (a report or shard folder). */
        const load = (scenarios: string, duration: string, connections: string, where: string[]) =>
          run([
            "load",
            "--target",
            "staging",
            "--engine",
            "node",
            "--scenario",
            scenarios,
            "--duration",
            duration,
            "--connections",
            connections,
            ...where,
          ]);
        const loaded = await load("identify,webhook", "2s", "5", ["--report-dir", at("load")]);
        expect([0, 1], loaded.stdout + loaded.stderr).toContain(loaded.code);
        const shard = await load("webhook", "1s", "3", [
          "--segment",
          "1/1",
          "--shard-dir",
          at("shard"),
        ]);
        expect(shard.code, shard.stdout + shard.stderr).toBe(0);
        for (const [command, out, extra] of [
          ["k6-operator", "operator", ["--parallelism", "2"]],
          ["k8s-job", "job", ["--parallelism", "2", "--image", "harness:test"]],
        ] as const) {
          const generated = await run([
            command,
            "--target",
            "staging",
            "--scenario",
            "identify",
            ...extra,
            "--out",
            at(out),
          ]);
          expect(generated.code, generated.stdout + generated.stderr).toBe(0);
        }
        const signoff = await run([
          "signoff",
          "--out",
          at("signoff"),
          "--smoke",
          at("smoke"),
          "--load",
          at("load"),
          "--probe",
          at("probe"),
        ]);
        expect([0, 1], signoff.stdout + signoff.stderr).toContain(signoff.code);

        const secrets = Object.entries(stack.secrets).filter(
          (e): e is [string, string] => typeof e[1] === "string" && e[1].length >= WIDTH,
        );
        const files = await filesUnder(dir);
        const written = files.filter((f) => !f.path.endsWith("secret.yaml"));
        console.log(
          `audited ${written.length} files (${written.reduce((n, f) => n + f.text.length, 0)} characters) and ${runs.length} consoles for ${secrets.length} secrets, ${WIDTH} characters at a time`,
        );
        expect(written.map((f) => f.path).some((p) => p.endsWith("report.html"))).toBe(true);
        expect(written.map((f) => f.path).some((p) => p.includes("shard"))).toBe(true);
        const found: string[] = [];
        for (const [name, secret] of secrets) {
          for (const file of written) {
            const piece = pieceOf(file.text, secret);
            if (piece) found.push(`${name}: "${piece}" in ${file.path.slice(dir.length)}`);
          }
          for (const [command, out] of runs) {
            const piece = pieceOf(out.stdout + out.stderr, secret);
            if (piece) found.push(`${name}: "${piece}" on the console of ${command}`);
          }
        }
        expect(found).toEqual([]);
        // The Secret that carries them is readable by its owner alone.
        for (const file of files.filter((f) => f.path.endsWith("secret.yaml")))
          expect((await stat(file.path)).mode & 0o077).toBe(0);
      });
    } finally {
      await stack.stop();
    }
  }, 180_000);
});
