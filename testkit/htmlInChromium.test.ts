import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, openHtmlInChromium } from "./htmlInChromium.ts";

// The checker itself must be able to say no: a page that logs an error,
// throws, fetches from a server and from a sibling file, and puts its
// verdict below the first screen.
describe("openHtmlInChromium", () => {
  let browser: Browser;
  let dir = "";
  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), "chromium-check-"));
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reports console errors, page errors, requests leaving the file and a verdict off the first screen", async () => {
    const file = join(dir, "bad.html");
    await writeFile(
      file,
      `<!doctype html><html><head><title>bad</title>
<link rel="stylesheet" href="http://127.0.0.1:9/style.css"></head><body>
<p>near the top</p><img src="sibling.png" alt="">
<script>console.error("boom"); throw new Error("thrown");</script>
<div style="height:2000px">spacer</div><div class="verdict">FAIL · far down</div>
</body></html>`,
    );
    const seen = await openHtmlInChromium(browser, file, "checker-bad-page", {
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
