import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectGolden } from "../../testkit/golden.ts";
import { REPORTER_SAMPLES as SAMPLES } from "../../testkit/sampleResults.ts";
import { consoleSummary } from "./consoleSummary.ts";
import { validateJunit } from "./junitSchema.ts";
import { REPORT_FILES } from "./reportFiles.ts";

/**
 * Golden files of every reporter a run writes (REPORT_FILES) and of the
 * console summary, for five fixed results: a passing and a failing smoke, a
 * passing and a failing load run, a failing probe run (with evidence). `UPDATE_GOLDEN=1 pnpm test` rewrites them
 * after a deliberate change; the diff is the review.
 */

const golden = (sample: string, file: string): URL =>
  new URL(`./golden/${sample}/${file}`, import.meta.url);

describe.each(Object.entries(SAMPLES))("reporters on %s", (sample, result) => {
  it.each(REPORT_FILES.map((f) => [f.name, f] as const))("%s", async (_name, file) => {
    await expectGolden(golden(sample, file.name), file.render(result));
  });

  it("console summary", async () => {
    await expectGolden(golden(sample, "console.txt"), consoleSummary(result, { color: false }));
  });
});

describe("junit.xml of every sample", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "junit-golden-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(Object.entries(SAMPLES))("%s validates against the JUnit XSD", async (sample, result) => {
    const junit = REPORT_FILES.find((f) => f.name === "junit.xml");
    if (!junit) throw new Error("junit.xml is no longer in REPORT_FILES");
    const file = join(dir, `${sample}.xml`);
    await writeFile(file, junit.render(result));
    const check = await validateJunit(file);
    expect(check.output).toMatch(/validates$/);
    expect(check.valid).toBe(true);
  });
});
