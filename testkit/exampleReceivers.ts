import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { validateSignature } from "@line/bot-sdk";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";

/*
 * Test support: webhook receivers as the seed teams would write them, each
 * verifying with its provider's official SDK from npm (stripe's
 * constructEvent, standardwebhooks' verify, @line/bot-sdk's
 * validateSignature; Meta publishes none, so
 * node:crypto with timingSafeEqual, as Meta documents), recording what it
 * processed in a Postgres table of its own schema. A flaw switches one
 * realistic mistake on, so a test can see the probes name it. Loopback only.
 */

export type ReceiverKind = "stripe" | "whop" | "whatsapp" | "line";

export type Flaw =
  /** Verifies only when the signature header is there. */
  | "verifyIfPresent"
  /** Processes every delivery, redeliveries too. */
  | "noDedup"
  /** Verifies a re-serialisation of the parsed body, not the bytes received. */
  | "reserialize"
  /** Accepts a timestamp of any age. */
  | "noTolerance"
  /** Reads a body of any size. */
  | "noBodyLimit"
  /** Meta handshake: answers the challenge JSON-quoted. */
  | "handshakeQuoted"
  /** Meta handshake: answers whatever the token. */
  | "handshakeAnyToken"
  /** Answers 4xx to a bad signature, then processes the event anyway from its "queue", 100 ms later. */
  | "processRefusedLater";

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
  const secret =
    kind === "stripe"
      ? `whsec_${randomBytes(16).toString("hex")}`
      : randomBytes(16).toString("hex");
  const verifyToken = randomBytes(8).toString("hex");
  const helperSecret = randomBytes(12).toString("hex");
  const stripe = new Stripe("sk_test_offline_not_used");

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

  /** The event id, or a status to answer with (the delivery is refused). */
  function verify(request: IncomingMessage, raw: string): { eventId: string } | { status: number } {
    const header = (name: string) => {
      const v = request.headers[name];
      return typeof v === "string" ? v : undefined;
    };
    const signed = has("reserialize") ? safeReserialize(raw) : raw;
    if (kind === "stripe") {
      const signature = header("stripe-signature");
      if (signature || !has("verifyIfPresent")) {
        try {
          stripe.webhooks.constructEvent(
            signed,
            signature ?? "",
            secret,
            has("noTolerance") ? 10 * 365 * 86_400 : 300,
          );
        } catch {
          return { status: 400 };
        }
      }
      const id = (JSON.parse(raw) as { id?: unknown }).id;
      return typeof id === "string" ? { eventId: id } : { status: 400 };
    }
    if (kind === "whop") {
      const headers = {
        "webhook-id": header("webhook-id") ?? "",
        "webhook-timestamp": header("webhook-timestamp") ?? "",
        "webhook-signature": header("webhook-signature") ?? "",
      };
      if (headers["webhook-signature"] || !has("verifyIfPresent")) {
        try {
          new Webhook(btoa(secret)).verify(signed, headers);
        } catch {
          return { status: 401 };
        }
      }
      return headers["webhook-id"] ? { eventId: headers["webhook-id"] } : { status: 400 };
    }
    if (kind === "line") {
      const signature = header("x-line-signature");
      if (
        (signature || !has("verifyIfPresent")) &&
        !validateSignature(signed, secret, signature ?? "")
      )
        return { status: 401 };
      const events = (JSON.parse(raw) as { events?: { webhookEventId?: unknown }[] }).events;
      if (!Array.isArray(events)) return { status: 400 };
      // The console's Verify: no events, nothing to process, 200.
      const id = events[0]?.webhookEventId;
      return { eventId: typeof id === "string" ? id : "" };
    }
    const signature = header("x-hub-signature-256");
    if (signature || !has("verifyIfPresent")) {
      const expected = Buffer.from(
        `sha256=${createHmac("sha256", secret).update(signed, "utf8").digest("hex")}`,
      );
      const given = Buffer.from(signature ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { status: 401 };
    }
    const body = JSON.parse(raw) as {
      entry?: { changes?: { value?: { messages?: { id?: unknown }[] } }[] }[];
    };
    const id = body.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id;
    return typeof id === "string" ? { eventId: id } : { status: 400 };
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
    if (!WEBHOOK_PATHS[kind].includes(url.pathname))
      return send(response, 404, '{"error":"not found"}');
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
        let verdict: { eventId: string } | { status: number };
        try {
          verdict = verify(request, raw);
        } catch {
          verdict = { status: 400 };
        }
        if ("status" in verdict) {
          send(response, verdict.status, '{"error":"refused"}');
          const id = has("processRefusedLater") ? eventIdOf(kind, request, raw) : undefined;
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

const WEBHOOK_PATHS: Record<ReceiverKind, readonly string[]> = {
  stripe: ["/api/stripe/webhook"],
  whop: ["/api/whop/webhook"],
  whatsapp: ["/webhooks/whatsapp"],
  line: ["/webhooks/line"],
};

function safeReserialize(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw));
  } catch {
    return raw;
  }
}

/** The event id a delivery carries, read without verifying (what a careless queue consumer does). */
function eventIdOf(kind: ReceiverKind, request: IncomingMessage, raw: string): string | undefined {
  try {
    if (kind === "whop") {
      const id = request.headers["webhook-id"];
      return typeof id === "string" ? id : undefined;
    }
    const body = JSON.parse(raw) as {
      id?: unknown;
      events?: { webhookEventId?: unknown }[];
      entry?: { changes?: { value?: { messages?: { id?: unknown }[] } }[] }[];
    };
    const id =
      kind === "stripe"
        ? body.id
        : kind === "line"
          ? body.events?.[0]?.webhookEventId
          : body.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
