import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outputContains, spawnHarnessGroup } from "../testkit/processGroup.ts";
import { readSummary } from "../testkit/readSummary.ts";
import { REPO, runHarness } from "../testkit/runHarness.ts";
import { inTempDir } from "../testkit/tempDir.ts";

/*
 * Every run ends by itself with the exit code that says what happened: a
 * config or setup() that never settles, a setup() that throws, a folder the
 * reports cannot go to, signals at every stage. Wall times are printed.
 */

/** A config module written to `dir`; `setup` is the body of the target's setup(). */
async function configFile(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const targetWithSetup = (setupBody: string) => `
export default {
  targets: {
    broken: { description: "a target whose setup misbehaves", async setup() { ${setupBody} } },
  },
};
`;

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${what}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

describe("a run that cannot start ends by itself, with exit 2 naming the cause", () => {
  it("a config whose default export is a promise that never settles: exit 2 within the load bound, not 0", async () => {
    await inTempDir(async (dir) => {
      const file = await configFile(dir, "hangs.mjs", "export default new Promise(() => {});\n");
      const run = await timed("never-settling default export", () =>
        runHarness(["smoke", "--config", file, "--target", "x"]),
      );
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--config .*hangs\.mjs: loading did not finish within 10000 ms/);
    });
  });

  it("a config whose top-level await never settles: exit 2, not a silent 0", async () => {
    await inTempDir(async (dir) => {
      const file = await configFile(
        dir,
        "tla.mjs",
        "await new Promise(() => {});\nexport default { targets: {} };\n",
      );
      const run = await runHarness(["smoke", "--config", file, "--target", "x"]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain("loading did not finish within 10000 ms");
    });
  });

  it("a setup() that never settles: exit 2 after --setup-timeout, naming the file and the step", async () => {
    await inTempDir(async (dir) => {
      const file = await configFile(
        dir,
        "setup.mjs",
        targetWithSetup("await new Promise(() => {});"),
      );
      const run = await timed("never-settling setup()", () =>
        runHarness(["smoke", "--config", file, "--target", "broken", "--setup-timeout", "1s"]),
      );
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(
        /targets\.broken\.setup\(\) in .*setup\.mjs did not settle within 1000 ms/,
      );
    });
  });

  it("a setup() that throws: exit 2 naming the target and what it threw (not 4)", async () => {
    await inTempDir(async (dir) => {
      const file = await configFile(
        dir,
        "throws.mjs",
        targetWithSetup('throw new TypeError("cannot read the vault");'),
      );
      const run = await runHarness(["smoke", "--config", file, "--target", "broken"]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(
        /targets\.broken\.setup\(\) in .*throws\.mjs threw: cannot read the vault/,
      );
      expect(run.stderr).not.toContain("unexpected error");
    });
  });

  it("a setup() that resolves to { profile: null }, or returns a plain object: exit 2 saying what it must resolve to", async () => {
    await inTempDir(async (dir) => {
      const nullProfile = await configFile(
        dir,
        "null.mjs",
        targetWithSetup("return { profile: null };"),
      );
      const plain = await configFile(
        dir,
        "plain.mjs",
        `export default { targets: { broken: { description: "x", setup() { return { profile: 7 }; } } } };\n`,
      );
      for (const file of [nullProfile, plain]) {
        const run = await runHarness(["smoke", "--config", file, "--target", "broken"]);
        expect(run.code, run.stdout + run.stderr).toBe(2);
        expect(run.stderr).toMatch(
          /targets\.broken\.setup\(\) in .*\.mjs resolved to \{ profile: (null|7) \}: it must resolve to \{ profile:/,
        );
        expect(run.stderr).not.toMatch(/unexpected error|TypeError|is not a function/);
      }
    });
  });

  it("an unknown key does not hide the profile's other problems: all are listed at once", async () => {
    await inTempDir(async (dir) => {
      const file = await configFile(
        dir,
        "typo.mjs",
        targetWithSetup(
          "return { profile: { services: {}, databases: {}, secrets: [], prodution: true } };",
        ),
      );
      const run = await runHarness(["probe", "--config", file, "--target", "broken"]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain(
        "targets.broken: `prodution` is not a key; did you mean `production`?",
      );
      expect(run.stderr).toMatch(/targets\.broken: probe is missing/);
    });
  });

  it("an event loop that empties under a promise that never settles is exit 4 with a message, never 0", async () => {
    // Exactly that shape: main() waits on a promise nothing will ever settle, and nothing else is pending.
    const script = `
      import { runEntry } from ${JSON.stringify(join(REPO, "lib/runEntry.ts"))};
      runEntry("harness", () => new Promise(() => {}));
    `;
    const run = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script],
        { cwd: REPO, timeout: 30_000 },
        (error, _out, stderr) => done({ code: error ? Number(error.code) : 0, stderr }),
      ),
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("harness: stopped without a verdict");
  });

  it("a --report-dir that is not a writable folder: exit 2 before anything touches the target", async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, "not-a-folder");
      await writeFile(file, "");
      for (const reportDir of [file, join(file, "below")]) {
        const run = await runHarness(["smoke", "--report-dir", reportDir]);
        expect(run.code, run.stdout + run.stderr).toBe(2);
        expect(run.stderr).toMatch(
          /^Reports could not be written:\n {2}- --report-dir .*not-a-folder/m,
        );
        // No stack was started, no run id minted: nothing touched the target.
        expect(run.stderr).not.toMatch(/dependencies reachable|run smoke-/);
      }
    });
  });

  it("signoff --out that is not a writable folder: exit 2, not a stack trace", async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, "taken");
      await writeFile(file, "");
      const run = await runHarness(["signoff", "--latest", "--out", file]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--out .*taken: is not a directory/);
      expect(run.stderr).not.toContain("unexpected error");
    });
  });
});

describe("the first, flat profile shape", () => {
  it("each of its keys is named once, with where it lives now (not also as an unknown key)", async () => {
    await inTempDir(async (dir) => {
      const file = await configFile(
        dir,
        "flat.mjs",
        targetWithSetup(
          'return { profile: { services: { app: { url: "http://127.0.0.1:9", healthPath: "/health" } }, databases: {}, secrets: [], identity: {}, helpers: {}, cleanup: [] } };',
        ),
      );
      const run = await runHarness(["probe", "--config", file, "--target", "broken"]);
      expect(run.code, run.stderr).toBe(2);
      for (const key of ["identity", "helpers", "cleanup"]) {
        expect(run.stderr).toContain(
          `targets.broken: ${key} now lives in the smoke section: write it as smoke.${key}.`,
        );
        expect(run.stderr).not.toContain(`\`${key}\` is not a key`);
      }
    });
  });
});

describe("signals", () => {
  it("Ctrl-C while setup() hangs: exit 130 at once (nothing was created), not after the cleanup bound", async () => {
    await inTempDir(async (dir) => {
      const file = await configFile(
        dir,
        "hangs.mjs",
        targetWithSetup(
          'process.stderr.write("setting up\\n"); await new Promise(() => {}); return { profile: {} };',
        ),
      );
      const run = spawnHarnessGroup(["smoke", "--config", file, "--target", "broken"], {});
      await outputContains(run, run.stderr, "setting up");
      const signalled = performance.now();
      run.child.kill("SIGINT");
      const code = await run.closed;
      console.log(
        `Ctrl-C during a hanging setup(): exited ${Math.round(performance.now() - signalled)} ms after the signal`,
      );
      expect(code, run.stderr()).toBe(130);
      expect(run.stderr()).toContain("interrupted during targets.broken.setup()");
      expect(run.stderr()).not.toContain("Still not done");
    });
  });

  it("Ctrl-C while setup() is still starting something: what it started is torn down before the exit", async () => {
    await inTempDir(async (dir) => {
      const marker = join(dir, "torn-down");
      const file = await configFile(
        dir,
        "slow.mjs",
        targetWithSetup(`process.stderr.write("setting up\\n");
          await new Promise((r) => setTimeout(r, 1500));
          const { writeFileSync } = await import("node:fs");
          return { profile: { services: {}, databases: {}, secrets: [] }, teardown: async () => writeFileSync(${JSON.stringify(marker)}, "yes") };`),
      );
      const run = spawnHarnessGroup(["smoke", "--config", file, "--target", "broken"], {});
      await outputContains(run, run.stderr, "setting up");
      run.child.kill("SIGINT");
      const code = await run.closed;
      expect(code, run.stderr()).toBe(130);
      expect(await readFile(marker, "utf8")).toBe("yes");
    });
  });

  it("SIGHUP (a closed terminal) stops the run, cleans up, and exits 130", async () => {
    await inTempDir(async (dir) => {
      const run = spawnHarnessGroup(["smoke", "--timeout", "60s", "--report-dir", dir], {
        STACK_FAULTS: "webhook-drop",
      });
      await outputContains(run, run.stderr, "waiting up to");
      run.child.kill("SIGHUP");
      const code = await run.closed;
      expect(code, run.stderr()).toBe(130);
      const summary = await readSummary(dir);
      expect(summary.outcome).toBe("interrupted");
      expect(summary.cleanup).toMatchObject({ status: "done", detail: "removed 3 rows" });
    });
  });

  it("a signal during cleanup, after a check already failed, keeps that verdict: exit 1", async () => {
    await inTempDir(async (dir) => {
      // identify answers after 3 s, the step gives up after 1 s: it fails, and cleanup then waits for its late answer.
      const run = spawnHarnessGroup(["smoke", "--request-timeout", "1s", "--report-dir", dir], {
        STACK_FAULTS: "slow-identify:3000",
      });
      await outputContains(run, run.stderr, "has answered (at most");
      run.child.kill("SIGINT");
      const code = await run.closed;
      expect(code, run.stderr()).toBe(1);
      const summary = await readSummary(dir);
      expect(summary.outcome).toBe("checksFailed");
      expect(summary.checks.find((c) => c.name === "lineIdentify")?.status).toBe("failed");
      expect(summary.cleanup.status).toBe("done");
    });
  });
});
