import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useChromium } from "./chromiumSuite.ts";
import { openHtmlInChromium } from "./htmlInChromium.ts";

// The checker itself must be able to say no: a page that logs an error,
// throws, fetches from a server and from a sibling file, and puts its
// verdict below the first screen.
describe("openHtmlInChromium", () => {
  const chromium = useChromium("chromium-check-");

  it("reports console errors, page errors, requests leaving the file and a verdict off the first screen", async () => {
    const file = join(chromium.dir, "bad.html");
    await writeFile(
      file,
      `<!doctype html><html><head><title>bad</title>
<link rel="stylesheet" href="http://127.0.0.1:9/style.css"></head><body>
<p>near the top</p><img src="sibling.png" alt="">
<script>console.error("boom"); throw new Error("thrown");</script>
<div style="height:2000px">spacer</div><div class="verdict">FAIL · far down</div>
</body></html>`,
    );
    const seen = await openHtmlInChromium(chromium.browser, file, "checker-bad-page", {
      texts: ["FAIL · far down", "near the top"],
    });
    expect(seen.consoleErrors).toContain("boom");
    expect(seen.pageErrors).toEqual([expect.stringContaining("thrown")]);
    expect(seen.requestsLeavingFile).toEqual(
      expect.arrayContaining([
        "http://127.0.0.1:9/style.css",
        expect.stringMatching(/^file:.*\/sibling\.png$/),
      ]),
    );
    expect(seen.verdict).toEqual({ text: "FAIL · far down", onFirstScreen: false });
    expect(seen.textsOnFirstScreen).toEqual(["near the top"]);
    expect((await stat(seen.screenshot)).size).toBeGreaterThan(0);
  });
});
