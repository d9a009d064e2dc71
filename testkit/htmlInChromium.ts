import { access, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";

/**
 * Test support: opens a report's HTML file in headless Chromium (Debian's
 * `chromium`, driven by playwright-core) and says what a reader would meet:
 * console errors, requests that tried to leave the file (each is blocked),
 * and where the verdict banner sits on the first screen. Keeps a screenshot.
 */

/** Where tests keep what they leave for a person to look at (git-ignored). */
const TEST_OUTPUT_DIR = resolve(import.meta.dirname, "../reports/test-output");

/** A laptop's first screen. */
const FIRST_SCREEN = { width: 1280, height: 720 } as const;

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * This machine's network is closed: without the background-networking flags
 * Chromium opens connections at start that are refused (or looks up Google's
 * hosts), which is noise, not the page's doing.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface HtmlInChromium {
  consoleErrors: string[];
  pageErrors: string[];
  /** Every request other than the file itself; each was aborted. */
  requestsLeavingFile: string[];
  /** The verdict banner: its text, and whether all of it is visible on the first screen. */
  verdict: { text: string; onFirstScreen: boolean } | undefined;
  /** Each of `texts` that is visible, whole, on the first screen. */
  textsOnFirstScreen: string[];
  screenshot: string;
}

export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM_PATH);
  } catch {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium; .ci/run does this) or set CHROMIUM_PATH`,
    );
  }
  // A fresh, empty profile per launch: playwright-core makes one in a temp dir.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Opens `file` at the first-screen size. `verdictSelector` finds the banner;
 * `texts` are phrases that must be readable without scrolling.
 */
export async function openHtmlInChromium(
  browser: Browser,
  file: string,
  screenshotName: string,
  options: { verdictSelector?: string; texts?: readonly string[] } = {},
): Promise<HtmlInChromium> {
  const url = pathToFileURL(resolve(file)).href;
  const context = await browser.newContext({ viewport: FIRST_SCREEN, offline: true });
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const requestsLeavingFile: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // Every request is seen here, file:// ones included; the route blocks
    // whatever Playwright can intercept, so nothing reaches a network.
    page.on("request", (request) => {
      if (request.url() !== url) requestsLeavingFile.push(request.url());
    });
    await page.route("**/*", (route) =>
      route.request().url() === url ? route.continue() : route.abort("blockedbyclient"),
    );
    await page.goto(url, { waitUntil: "load" });

    const onFirstScreen = async (box: { y: number; height: number } | null): Promise<boolean> =>
      box !== null && box.y >= 0 && box.y + box.height <= FIRST_SCREEN.height;

    let verdict: HtmlInChromium["verdict"];
    const banner = page.locator(options.verdictSelector ?? ".verdict").first();
    if ((await banner.count()) > 0 && (await banner.isVisible())) {
      verdict = {
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
        text: (await banner.innerText()).trim(),
        onFirstScreen: await onFirstScreen(await banner.boundingBox()),
      };
    }
    const textsOnFirstScreen: string[] = [];
    for (const text of options.texts ?? []) {
      const found = page.getByText(text, { exact: false }).first();
      if ((await found.count()) > 0 && (await found.isVisible())) {
        if (await onFirstScreen(await found.boundingBox())) textsOnFirstScreen.push(text);
      }
    }

    const screenshot = resolve(TEST_OUTPUT_DIR, "chromium", `${screenshotName}.png`);
    await mkdir(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    return {
      consoleErrors,
      pageErrors,
      requestsLeavingFile,
      verdict,
      textsOnFirstScreen,
      screenshot,
    };
  } finally {
    await context.close();
  }
}
