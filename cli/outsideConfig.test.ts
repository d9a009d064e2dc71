import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { type StackHandle, startStack } from "../fixtures/referenceStack.ts";
import { leftovers, NOTHING_LEFT } from "../testkit/leftovers.ts";
import { runHarness } from "../testkit/runHarness.ts";

/**
 * A team's own config, outside the repo, importing nothing from it: its own
 * env names, SQL written differently from harness.config.ts (by event id,
 * with joins and aliases), a pre-provisioned member instead of minted users,
 * and option defaults (target, phase) of its own.
 */
const CONFIG = `
const P = (env) => env.string("ELSEWHERE_PASUKURU_SCHEMA", { description: "schema" });
export default {
  defaults: { target: "elsewhere", phase: "3", timeout: "8s" },
  targets: {
    elsewhere: {
      description: "a staging-like target configured only here",
      async setup({ env }) {
        const p = P(env);
        const c = env.string("ELSEWHERE_CURVA_SCHEMA", { description: "schema" });
        const db = env.url("ELSEWHERE_DATABASE_URL", { description: "db", protocols: ["postgres:"] });
        const secret = env.secret("ELSEWHERE_HELPER_SECRET", { description: "helper secret" });
        const headers = { "x-test-helper-secret": secret };
        return {
          profile: {
            services: {
              pasukuru: { url: env.url("ELSEWHERE_PASUKURU", { description: "p", protocols: ["http:"] }), healthPath: "/health" },
              curva: { url: env.url("ELSEWHERE_CURVA", { description: "c", protocols: ["http:"] }), healthPath: "/health" },
            },
            databases: { pasukuru: { url: db }, curva: { url: db, cleanupUrl: db } },
            queue: {
              redisUrl: env.url("ELSEWHERE_REDIS", { description: "redis", protocols: ["redis:"] }),
              prefix: env.string("ELSEWHERE_PREFIX", { description: "prefix" }),
              name: "curva-webhook",
              deadLetters: { kind: "failedSet" },
            },
            smoke: {
              identity: {
                kind: "preProvisioned",
                lineUserId: env.string("ELSEWHERE_LINE_USER_ID", { description: "member" }),
                memberId: env.string("ELSEWHERE_MEMBER_ID", { description: "member" }),
              },
              helpers: {
                createOrder: {
                  service: "curva", method: "POST", path: () => "/test/orders", headers,
                  body: (ids) => ({ lineUserId: ids.lineUserId, amountYen: 500, runId: ids.runId }),
                  read: ({ status, body }) => status === 201 ? { orderId: body.orderId } : { problem: "no order" },
                },
                markPaid: {
                  service: "pasukuru", method: "POST", path: (ids) => "/test/orders/" + ids.orderId + "/pay", headers,
                  read: ({ status, body }) => status === 200 ? { eventId: body.eventId } : { problem: "not paid" },
                },
              },
              assertions: {
                webhookLogCount: {
                  database: "curva",
                  text: "SELECT count(w.id) AS count FROM " + c + ".webhook_log w WHERE w.event_id = $1",
                  values: (ids) => [ids.eventId],
                },
                memberLineUserId: {
                  database: "pasukuru",
                  text: "SELECT m.line_user_id FROM " + p + ".members m WHERE m.id = $1 AND m.line_user_id IS NOT NULL",
                  values: (ids) => [ids.memberId],
                },
                followerMemberId: {
                  database: "curva",
                  text: "SELECT f.pasukuru_member_id FROM " + c + ".line_followers f JOIN " + c +
                    ".webhook_log w ON w.line_user_id = f.line_user_id WHERE w.event_id = $1",
                  values: (ids) => [ids.eventId],
                },
              },
              cleanup: [
                { database: "curva", text: "DELETE FROM " + c + ".processed_events WHERE event_id = $1", values: (ids) => [ids.eventId ?? null] },
                { database: "curva", text: "DELETE FROM " + c + ".webhook_log WHERE order_id = $1", values: (ids) => [ids.orderId ?? null] },
                { database: "curva", text: "DELETE FROM " + c + ".line_followers WHERE line_user_id = $1 AND run_id = $2", values: (ids) => [ids.lineUserId, ids.runId] },
                { database: "pasukuru", text: "DELETE FROM " + p + ".orders WHERE id = $1", values: (ids) => [ids.orderId ?? null] },
              ],
              webhookJobId: (ids) => ids.eventId,
            },
            sweep: { findRuns: [], findJobIds: [], removeRun: [] },
            secrets: [],
          },
        };
      },
    },
  },
};
`;

async function provisionMember(
  stack: StackHandle,
): Promise<{ memberId: string; lineUserId: string }> {
  const { idToken } = await stack.mintIdToken({ name: "Pre-provisioned QA member" });
  const response = await request(`${stack.urls.pasukuru}/integration/line/identify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ idToken }),
  });
  return (await response.body.json()) as { memberId: string; lineUserId: string };
}

async function memberExists(stack: StackHandle, memberId: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `SELECT 1 FROM "${stack.schemas.pasukuru}".members WHERE id = $1`,
      [memberId],
    );
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

describe("a config file outside the repo", () => {
  it("drives a phase-3 smoke with its own URLs, SQL and identity, and cleans up around its member", async () => {
    const dir = await mkdtemp(join(tmpdir(), "team-config-"));
    const stack = await startStack();
    try {
      const member = await provisionMember(stack);
      const file = join(dir, "team.config.mjs");
      await writeFile(file, CONFIG);
      const reportDir = join(dir, "report");
      const env = {
        PATH: process.env.PATH ?? "",
        ELSEWHERE_PASUKURU: stack.urls.pasukuru,
        ELSEWHERE_CURVA: stack.urls.curva,
        ELSEWHERE_DATABASE_URL: stack.databaseUrl,
        ELSEWHERE_REDIS: stack.redisUrl,
        ELSEWHERE_PREFIX: stack.queue.prefix,
        ELSEWHERE_HELPER_SECRET: stack.secrets.testHelperSecret,
        ELSEWHERE_PASUKURU_SCHEMA: stack.schemas.pasukuru,
        ELSEWHERE_CURVA_SCHEMA: stack.schemas.curva,
        ELSEWHERE_LINE_USER_ID: member.lineUserId,
        ELSEWHERE_MEMBER_ID: member.memberId,
      };
      const harnessRun = await runHarness(
        ["smoke", "--config", file, "--report-dir", reportDir],
        env,
      );
      const run = { code: harnessRun.code, output: harnessRun.stdout + harnessRun.stderr };
      expect(run.output).toContain("target elsewhere");
      expect(run.output).toMatch(/^ {2}PASS {2}followerLinkedToMember /m);
      expect(run.output).not.toContain("lineIdentify");
      expect(run.output).not.toContain(stack.secrets.testHelperSecret);
      expect(run.code, run.output).toBe(0);

      const summary = JSON.parse(await readFile(join(reportDir, "summary.json"), "utf8")) as {
        runId: string;
        testData: { eventId?: string };
      };
      const eventIds = summary.testData.eventId ? [summary.testData.eventId] : [];
      expect(await leftovers(stack, { runId: summary.runId, eventIds })).toEqual(NOTHING_LEFT);
      expect(await memberExists(stack, member.memberId)).toBe(true);
    } finally {
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
