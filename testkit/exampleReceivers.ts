import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import {
  type Delivery,
  type Flaw,
  type ProviderCheck,
  reserialized,
} from "./receivers/delivery.ts";
import { LINE_CHECK } from "./receivers/lineCheck.ts";
import { STRIPE_CHECK } from "./receivers/stripeCheck.ts";
import { WHATSAPP_CHECK } from "./receivers/whatsappCheck.ts";
import { WHOP_CHECK } from "./receivers/whopCheck.ts";

export type { Flaw } from "./receivers/delivery.ts";

/*
 * Test support: webhook receivers as the seed teams would write them, each
 * verifying with its provider's official SDK from npm (each provider's
 * check in receivers/: stripe's constructEvent, standardwebhooks' verify,
 * @line/bot-sdk's validateSignature; Meta publishes none, so node:crypto
 * with timingSafeEqual, as Meta documents), recording what it
 * processed in a Postgres table of its own schema. A flaw switches one
 * realistic mistake on, so a test can see the probes name it. Loopback only.
 */

export type ReceiverKind = "stripe" | "whop" | "whatsapp" | "line";

const CHECKS: Record<ReceiverKind, ProviderCheck> = {
  stripe: STRIPE_CHECK,
  whop: WHOP_CHECK,
  whatsapp: WHATSAPP_CHECK,
  line: LINE_CHECK,
};

export interface ExampleReceiver {
  url: string;
  schema: string;
  secret: string;
  verifyToken: string;
  /** The x-test-helper-secret its read-back helper (GET /test/processed?eventId=) takes. */
  helperSecret: string;
  databaseUrl: string;
  /** Rows of processed_events (every probe run should leave none). */
  processedRows(): Promise<number>;
  stop(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";

class TooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new TooLarge());
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  type = "application/json",
): void {
  response.writeHead(status, { "content-type": type, connection: "close" });
  response.end(body);
}

/** Starts one receiver on 127.0.0.1, port 0, with its own schema (dropped by `stop`). */
export async function startExampleReceiver(
  kind: ReceiverKind,
  flaws: readonly Flaw[] = [],
): Promise<ExampleReceiver> {
  const has = (f: Flaw) => flaws.includes(f);
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const schema = `example_${kind}_${randomBytes(4).toString("hex")}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(
    `CREATE TABLE ${schema}.seen (event_id text PRIMARY KEY);
     CREATE TABLE ${schema}.processed_events (id bigserial PRIMARY KEY, event_id text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`,
  );
  const check = CHECKS[kind];
  const secret = check.newSecret();
  const verifyToken = randomBytes(8).toString("hex");
  const helperSecret = randomBytes(12).toString("hex");

  /** Once per event id, unless the flaw says otherwise: insert-or-nothing on the key, then the work. */
  async function processOnce(eventId: string): Promise<void> {
    if (has("noDedup")) {
      await pool.query(`INSERT INTO ${schema}.processed_events (event_id) VALUES ($1)`, [eventId]);
      return;
    }
    await pool.query(
      `WITH fresh AS (INSERT INTO ${schema}.seen (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id)
       INSERT INTO ${schema}.processed_events (event_id) SELECT event_id FROM fresh`,
      [eventId],
    );
  }

  function deliveryOf(request: IncomingMessage, raw: string): Delivery {
    return {
      header: (name) => {
        const v = request.headers[name];
        return typeof v === "string" ? v : undefined;
      },
      raw,
      signed: has("reserialize") ? reserialized(raw) : raw,
      secret,
      has,
    };
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/health") return send(response, 200, '{"ok":true}');
    // A test helper over HTTP, as teams expose one instead of their database: the event's processing count.
    if (url.pathname === "/test/processed") {
      if (request.headers["x-test-helper-secret"] !== helperSecret)
        return send(response, 401, '{"error":"unauthorized"}');
      void pool
        .query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${schema}.processed_events WHERE event_id = $1`,
          [url.searchParams.get("eventId") ?? ""],
        )
        .then(
          ({ rows }) =>
            send(response, 200, JSON.stringify({ event: { processed: rows[0]?.n ?? 0 } })),
          () => send(response, 500, '{"error":"internal"}'),
        );
      return;
    }
    if (url.pathname !== check.path) return send(response, 404, '{"error":"not found"}');
    if (request.method === "GET" && kind === "whatsapp") {
      const mode = url.searchParams.get("hub.mode");
      const token = url.searchParams.get("hub.verify_token");
      const challenge = url.searchParams.get("hub.challenge") ?? "";
      if (mode === "subscribe" && (token === verifyToken || (has("handshakeAnyToken") && token)))
        return has("handshakeQuoted")
          ? send(response, 200, JSON.stringify(challenge))
          : send(response, 200, challenge, "text/plain");
      return send(response, 403, '{"error":"forbidden"}');
    }
    if (request.method !== "POST") return send(response, 405, '{"error":"method"}');
    readBody(request, has("noBodyLimit") ? Number.POSITIVE_INFINITY : BODY_LIMIT)
      .then(async (raw) => {
        const delivery = deliveryOf(request, raw);
        let verdict: { eventId: string } | { status: number };
        try {
          verdict = check.verify(delivery);
        } catch {
          verdict = { status: 400 };
        }
        if ("status" in verdict) {
          send(response, verdict.status, '{"error":"refused"}');
          const id = has("processRefusedLater") ? check.eventIdOf(delivery) : undefined;
          if (id) setTimeout(() => void processOnce(id).catch(() => {}), 100);
          return;
        }
        if (verdict.eventId) await processOnce(verdict.eventId);
        send(response, 200, '{"received":true}');
      })
      .catch((error: unknown) => {
        if (error instanceof TooLarge) send(response, 413, '{"error":"too large"}');
        else send(response, 500, '{"error":"internal"}');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    schema,
    secret,
    verifyToken,
    helperSecret,
    databaseUrl,
    async processedRows() {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schema}.processed_events`,
      );
      return rows[0]?.n ?? 0;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
      await pool.end();
    },
  };
}
