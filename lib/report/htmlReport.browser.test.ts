import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useChromium } from "../../testkit/chromiumSuite.ts";
import { openHtmlInChromium } from "../../testkit/htmlInChromium.ts";
import { loadResult, REPORTER_SAMPLES, withSeries } from "../../testkit/sampleResults.ts";
import type { RunResult } from "../result/runResult.ts";
import { htmlReport } from "./htmlReport.ts";

/** What the banner must begin with, and what a reader must see without scrolling. */
const EXPECTED: Record<string, { banner: string; firstScreen: string[] }> = {
  "smoke-pass": { banner: "PASS · smoke · local", firstScreen: ["webhookLogHasOrder"] },
  "smoke-fail": { banner: "FAIL · smoke · local", firstScreen: ["webhookLogHasOrder"] },
  "load-pass": { banner: "PASS · load · local", firstScreen: ["identify p95"] },
  "load-fail": { banner: "FAIL · load · local", firstScreen: ["identify p95"] },
  // The first failed probe, with its hint, before any scrolling.
  "probe-fail": { banner: "FAIL · probe · local", firstScreen: ["W2 unsigned (orders)"] },
};

describe("report.html in headless Chromium", () => {
  const chromium = useChromium("report-html-");

  const cases: [string, RunResult][] = [
    ...Object.entries(REPORTER_SAMPLES),
    ["load-fail-10min", withSeries(loadResult(), 600)],
  ];
  it.each(cases)(
    "%s: no console error, nothing fetched, the verdict on the first screen",
    async (name, result) => {
      const expected = EXPECTED[name.replace("-10min", "")];
      if (!expected) throw new Error(`no expectation for ${name}`);
      const file = join(chromium.dir, `${name}.html`);
      await writeFile(file, htmlReport(result));
      const seen = await openHtmlInChromium(chromium.browser, file, `report-${name}`, {
        texts: expected.firstScreen,
      });
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.requestsLeavingFile).toEqual([]);
      expect(seen.verdict?.text.startsWith(expected.banner)).toBe(true);
      expect(seen.verdict?.onFirstScreen).toBe(true);
      expect(seen.textsOnFirstScreen).toEqual(expected.firstScreen);
      console.log(`${name}: ${(await stat(file)).size} bytes, screenshot ${seen.screenshot}`);
    },
  );
});
