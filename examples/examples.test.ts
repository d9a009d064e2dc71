import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ApiFlaw, startExampleApi } from "../testkit/exampleApi.ts";
import {
  type ExampleReceiver,
  type Flaw,
  type ReceiverKind,
  startExampleReceiver,
} from "../testkit/exampleReceivers.ts";
import { startExampleTelegram, type TelegramFlaw } from "../testkit/exampleTelegram.ts";
import { readSummary } from "../testkit/readSummary.ts";
import { runHarness } from "../testkit/runHarness.ts";

/*
 * Each example config, by config alone, against a receiver built on its
 * provider's SDK: green when the receiver is right, and red naming exactly
 * the probes of each flaw injected into it.
 */

const EXAMPLES: Record<
  ReceiverKind,
  { config: string; target: string; env: (r: ExampleReceiver) => Record<string, string> }
> = {
  stripe: {
    config: "examples/stripeApp.config.ts",
    target: "stripeApp",
    env: (r) => ({
      STRIPE_APP_URL: r.url,
      STRIPE_WEBHOOK_SECRET: r.secret,
      STRIPE_APP_DATABASE_URL: r.databaseUrl,
      STRIPE_APP_SCHEMA: r.schema,
    }),
  },
  whop: {
    config: "examples/whopApp.config.ts",
    target: "whopApp",
    env: (r) => ({
      WHOP_APP_URL: r.url,
      WHOP_WEBHOOK_SECRET: r.secret,
      WHOP_TEST_HELPER_SECRET: r.helperSecret,
      WHOP_APP_DATABASE_URL: r.databaseUrl,
      WHOP_APP_SCHEMA: r.schema,
    }),
  },
  line: {
    config: "examples/lineBot.config.ts",
    target: "lineBot",
    env: (r) => ({
      LINE_BOT_URL: r.url,
      LINE_CHANNEL_SECRET: r.secret,
      LINE_BOT_DATABASE_URL: r.databaseUrl,
      LINE_BOT_SCHEMA: r.schema,
    }),
  },
  whatsapp: {
    config: "examples/whatsappPortal.config.ts",
    target: "whatsapp",
    env: (r) => ({
      WHATSAPP_URL: r.url,
      WHATSAPP_APP_SECRET: r.secret,
      WHATSAPP_VERIFY_TOKEN: r.verifyToken,
      WHATSAPP_DATABASE_URL: r.databaseUrl,
      WHATSAPP_SCHEMA: r.schema,
    }),
  },
};

async function probeExample(kind: ReceiverKind, flaws: Flaw[]) {
  const receiver = await startExampleReceiver(kind, flaws);
  const dir = await mkdtemp(join(tmpdir(), "probe-example-"));
  try {
    const example = EXAMPLES[kind];
    const run = await runHarness(
      [
        "probe",
        "--config",
        example.config,
        "--target",
        example.target,
        "--report-dir",
        dir,
        "--timeout",
        "2s",
      ],
      example.env(receiver),
    );
    const summary = await readSummary(dir).catch(() => undefined);
    if (!summary) throw new Error(`no summary (exit ${run.code}):\n${run.stdout}${run.stderr}`);
    const failed = summary.checks
      .filter((c) => c.status !== "passed")
      .map((c) => c.name.split(" ")[0]);
    const secrets = [receiver.secret, receiver.verifyToken];
    const output = `${run.stdout}${run.stderr}${JSON.stringify(summary)}`;
    for (const s of secrets) expect(output).not.toContain(s);
    return {
      code: run.code,
      failed,
      ran: summary.checks.map((c) => c.name.split(" ")[0]),
      left: await receiver.processedRows(),
      run,
    };
  } finally {
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const CASES: [ReceiverKind, Flaw[], string[]][] = [
  ["stripe", [], []],
  ["stripe", ["verifyIfPresent"], ["W2"]],
  ["stripe", ["noTolerance"], ["W5"]],
  ["stripe", ["reserialize"], ["W7"]],
  ["stripe", ["noDedup"], ["W9", "W10", "W11"]],
  ["stripe", ["noBodyLimit"], ["W13"]],
  // Refused at once, processed 100 ms later: caught by the read-back after the receiver's probes.
  ["stripe", ["processRefusedLater"], ["W2", "W3", "W4", "W5"]],
  ["whop", [], []],
  ["whop", ["verifyIfPresent"], ["W2"]],
  ["whop", ["noDedup"], ["W9", "W10", "W11"]],
  ["line", [], []],
  ["line", ["verifyIfPresent"], ["W2"]],
  ["line", ["reserialize"], ["W7"]],
  ["line", ["noDedup"], ["W9", "W10", "W11"]],
  ["whatsapp", [], []],
  ["whatsapp", ["handshakeQuoted"], ["H1"]],
  ["whatsapp", ["handshakeAnyToken"], ["H2"]],
  ["whatsapp", ["verifyIfPresent"], ["W2"]],
];

describe("the example configs against receivers built on the providers' SDKs", () => {
  it.each(CASES)(
    "%s with flaws %j: red exactly on %j, nothing left",
    async (kind, flaws, red) => {
      const { code, failed, left, run } = await probeExample(kind, flaws);
      expect(failed, run.stdout).toEqual(red);
      expect(code, run.stdout).toBe(red.length === 0 ? 0 : 1);
      expect(left).toBe(0);
    },
    60_000,
  );

  it("the WhatsApp receiver gets the Meta handshakes, and no timestamp or rotation probe", async () => {
    const { ran } = await probeExample("whatsapp", []);
    expect(ran).toEqual([
      "W1",
      "W2",
      "W3",
      "W4",
      "W7",
      "W9",
      "W10",
      "W11",
      "W12",
      "W13",
      "H1",
      "H2",
    ]);
  }, 60_000);
});

/** Probes an in-test server by an example config: what ran, what was not green, and the exit code. */
async function probeSurface(
  config: string,
  target: string,
  env: Record<string, string>,
): Promise<{
  code: number | null;
  run: { stdout: string; stderr: string };
  ran: string[];
  failed: string[];
}> {
  const dir = await mkdtemp(join(tmpdir(), `probe-${target}-`));
  try {
    const run = await runHarness(
      ["probe", "--config", config, "--target", target, "--report-dir", dir],
      env,
    );
    const summary = await readSummary(dir).catch(() => undefined);
    if (!summary) throw new Error(`no summary (exit ${run.code}):\n${run.stdout}${run.stderr}`);
    return {
      code: run.code,
      run,
      ran: summary.checks.map((c) => c.name.split(" ")[0] as string),
      failed: summary.checks
        .filter((c) => c.status !== "passed")
        .map((c) => c.name.split(" ")[0] as string),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the Whop app's HTTP surface, by config alone, against an in-test server", () => {
  async function probeApi(flaws: ApiFlaw[]) {
    const api = await startExampleApi(flaws);
    try {
      const result = await probeSurface("examples/whopApi.config.ts", "whopApi", {
        WHOP_API_URL: api.url,
        WHOP_CREATOR_TOKEN: api.token,
        WHOP_CRON_SECRET: api.cronSecret,
        WHOP_PROBE_PASSWORD: api.probePassword,
      });
      expect(result.run.stdout + result.run.stderr).not.toContain(api.cronSecret.slice(0, 8));
      return result;
    } finally {
      await api.stop();
    }
  }

  it.each([
    [[], []],
    [["noAuth"], ["A1"]],
    [["noRateLimit"], ["R1", "R3"]],
    [["invalid500"], ["S2"]],
    [["comingSoon"], ["S1"]],
    [["healthLeak"], ["HC3"]],
    [["healthLies"], ["HC4"]],
    [["cronOpen"], ["A7"]],
    [["cronQuery"], ["A7"]],
    [["logoutKeepsSession"], ["A6"]],
    [["limiterFailsOpen"], ["R5"]],
  ] as [ApiFlaw[], string[]][])(
    "flaws %j: red exactly on %j",
    async (flaws, red) => {
      const { code, failed, ran, run } = await probeApi(flaws);
      expect(ran).toEqual([
        "A1",
        "A6",
        "A7",
        "HC1",
        "HC3",
        "HC4",
        "S1",
        "S2",
        "R1",
        "R2",
        "R3",
        "R5",
      ]);
      expect(failed, run.stdout).toEqual(red);
      expect(code, run.stdout).toBe(red.length === 0 ? 0 : 1);
    },
    60_000,
  );
});

describe("a Telegram Mini App backend, by config alone, against an in-test server (initData checked with @telegram-apps/init-data-node)", () => {
  async function probeMiniApp(flaws: TelegramFlaw[]) {
    const app = await startExampleTelegram(flaws);
    try {
      const result = await probeSurface("examples/telegramMiniApp.config.ts", "telegramMiniApp", {
        TELEGRAM_API_URL: app.url,
        TELEGRAM_BOT_TOKEN: app.botToken,
        TELEGRAM_FRONTEND_ORIGIN: app.frontendOrigin,
      });
      expect(result.run.stdout + result.run.stderr).not.toContain(app.botToken);
      return result;
    } finally {
      await app.stop();
    }
  }

  it.each([
    [[], []],
    [["noHashCheck"], ["A3"]],
    [["reserializeUser"], ["A3"]],
    [["phpReencode"], ["A3"]],
    [["trustsUserIdHeader"], ["A3"]],
    [["noExpiry"], ["A3"]],
    [["corsStar"], ["C1", "C4"]],
    [["corsReflect"], ["C2", "C3", "C5"]],
    [["comingSoon"], ["S1"]],
    [["noRateLimit"], ["R1", "R3"]],
  ] as [TelegramFlaw[], string[]][])(
    "flaws %j: red exactly on %j",
    async (flaws, red) => {
      const { code, failed, ran, run } = await probeMiniApp(flaws);
      expect(ran).toEqual([
        "A1",
        "A3",
        "C1",
        "C2",
        "C3",
        "C4",
        "C5",
        "HC1",
        "HC3",
        "S1",
        "R1",
        "R3",
      ]);
      expect(failed, run.stdout).toEqual(red);
      expect(code, run.stdout).toBe(red.length === 0 ? 0 : 1);
    },
    60_000,
  );
});
