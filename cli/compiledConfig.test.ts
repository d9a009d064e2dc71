import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runHarness } from "../testkit/runHarness.ts";

/**
 * A team's TypeScript config, outside the repo, loaded by the compiled
 * harness (the bin runs dist/, built by the tests' global setup): its own
 * helpers imported as tsx allows (`./x`, `./x.js` for x.ts, `./dir`), and
 * the harness's own modules, which must be the running ones, not a copy.
 */
describe("a TypeScript config loaded by the compiled harness", () => {
  it("compiles the team's files, and resolves the harness's to the modules running (one ConfigError class)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compiled-config-"));
    try {
      await mkdir(join(dir, "parts"));
      await writeFile(join(dir, "plain.ts"), `export const plain: string = "plain";\n`);
      await writeFile(join(dir, "named.ts"), `export const named: string = "named";\n`);
      await writeFile(join(dir, "parts", "index.ts"), `export const part: string = "part";\n`);
      await writeFile(
        join(dir, "team.config.ts"),
        `import { ConfigError } from "${REPO}/lib/errors.ts";
import { RUNS_COMPILED } from "${REPO}/lib/packageFile.ts";
import { plain } from "./plain";
import { named } from "./named.js";
import { part } from "./parts";

interface Seen { compiled: boolean }
const seen: Seen = { compiled: RUNS_COMPILED };

export default {
  targets: {
    team: {
      description: "a target whose setup refuses, naming what it saw",
      async setup() {
        throw new ConfigError([\`team says no: \${plain} \${named} \${part}, compiled=\${seen.compiled}\`]);
      },
    },
  },
};
`,
      );
      const run = await runHarness([
        "smoke",
        "--config",
        join(dir, "team.config.ts"),
        "--target",
        "team",
      ]);
      const output = run.stdout + run.stderr;
      // A ConfigError of a second copy of lib/errors.ts would not be the harness's: no exit 2, no list.
      expect(output).toContain("team says no: plain named part, compiled=true");
      expect(run.code, output).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
