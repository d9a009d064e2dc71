import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useChromium } from "../../testkit/chromiumSuite.ts";
import { openHtmlInChromium } from "../../testkit/htmlInChromium.ts";
import { loadResult, passingLoadResult, smokeResult } from "../../testkit/sampleResults.ts";
import { endpointFigures } from "./baselineComparison.ts";
import { buildSignoff } from "./signoff.ts";
import { signoffHtml } from "./signoffHtml.ts";

const NOW = new Date("2026-11-23T03:00:00.000Z");

describe("signoff.html in headless Chromium", () => {
  const chromium = useChromium("signoff-html-");

  const baseline = {
    runIds: ["load-20251121t000000z-00000000"],
    endpoints: endpointFigures([passingLoadResult(100)]),
  };
  const cases = [
    {
      name: "go",
      signoff: buildSignoff({
        smoke: smokeResult(),
        loads: [passingLoadResult()],
        baseline,
        failOnRegression: false,
        now: NOW,
      }),
      banner: "GO · local",
      firstScreen: [] as string[],
    },
    {
      name: "no-go",
      signoff: buildSignoff({
        smoke: smokeResult(),
        loads: [loadResult()],
        baseline,
        failOnRegression: false,
        now: NOW,
      }),
      banner: "NO-GO · local",
      // The breached threshold, its limit and what was observed, without scrolling.
      firstScreen: ["Threshold identify p95 breached", "observed 812.4 ms"],
    },
  ];
  it.each(cases)(
    "$name: no console error, nothing fetched, the verdict and its reason on the first screen",
    async ({ name, signoff, banner, firstScreen }) => {
      const file = join(chromium.dir, `signoff-${name}.html`);
      await writeFile(file, signoffHtml(signoff));
      const seen = await openHtmlInChromium(chromium.browser, file, `signoff-${name}`, {
        texts: firstScreen,
      });
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.requestsLeavingFile).toEqual([]);
      expect(seen.verdict?.text.startsWith(banner)).toBe(true);
      expect(seen.verdict?.onFirstScreen).toBe(true);
      expect(seen.textsOnFirstScreen).toEqual(firstScreen);
      console.log(
        `signoff ${name}: ${(await stat(file)).size} bytes, screenshot ${seen.screenshot}`,
      );
    },
  );
});
