import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./htmlInChromium.ts";

/**
 * Test support: one headless Chromium and one temp folder for a describe
 * block, both gone after it. Read `browser` and `dir` inside tests.
 */
export function useChromium(prefix: string): { readonly browser: Browser; readonly dir: string } {
  const state: { browser?: Browser; dir: string } = { dir: "" };
  beforeAll(async () => {
    state.browser = await launchChromium();
    state.dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await state.browser?.close();
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  return {
    get browser() {
      if (!state.browser) throw new Error("Chromium is not up: use it inside a test");
      return state.browser;
    },
    get dir() {
      return state.dir;
    },
  };
}
