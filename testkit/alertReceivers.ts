import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * Test support: real receivers for the watch's notifiers on loopback. A
 * Slack-like incoming-webhook endpoint (answers "ok", or 500 while down) and
 * an in-process SMTP server (the `smtp-server` package) that keeps what it
 * was sent.
 */

export interface SlackReceiver {
  url: string;
  messages: { text: string; blocks: unknown[] }[];
  /** POSTs seen, delivered or not. */
  attempts: number;
  down: boolean;
  close: () => Promise<void>;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const receiver: SlackReceiver = {
    url: "",
    messages: [],
    attempts: 0,
    down: false,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      receiver.attempts += 1;
      if (receiver.down || req.method !== "POST") {
        res.writeHead(500, { "content-type": "text/plain" }).end("internal_error");
        return;
      }
      receiver.messages.push(JSON.parse(body) as SlackReceiver["messages"][number]);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/xyz`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export interface MailReceiver {
  host: string;
  port: number;
  user: string;
  password: string;
  mails: { from: string; to: string[]; data: string }[];
  close: () => Promise<void>;
}

export async function startMailReceiver(): Promise<MailReceiver> {
  const receiver: MailReceiver = {
    host: "127.0.0.1",
    port: 0,
    user: "alerts",
    password: "smtp-test-password",
    mails: [],
    close: async () => {},
  };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: false,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === receiver.user && auth.password === receiver.password)
        callback(null, { user: auth.username });
      else callback(new Error("invalid credentials"));
    },
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => {
        data += chunk.toString("utf8");
      });
      stream.on("end", () => {
        receiver.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  receiver.port = (server.server.address() as AddressInfo).port;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
