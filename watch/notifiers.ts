import { setTimeout as sleep } from "node:timers/promises";
import { createTransport } from "nodemailer";
import type { Agent } from "undici";
import type { NotifierSpec } from "../lib/config/targetProfile.ts";
import { httpJson } from "../lib/drivers/httpJson.ts";
import { describeError } from "../lib/errors.ts";
import { emailMessage, type Notification, slackMessage } from "./notification.ts";

/** One way to reach people; `send` throws when the message was not accepted. */
export interface Notifier {
  name: "slack" | "email";
  send: (n: Notification) => Promise<void>;
}

export interface Delivery {
  notifier: Notifier["name"];
  delivered: boolean;
  attempts: number;
  /** The last failure, when not delivered. */
  error?: string;
}

export function notifiersOf(spec: NotifierSpec, http: Agent, timeoutMs: number): Notifier[] {
  const notifiers: Notifier[] = [];
  const slack = spec.slack;
  if (slack)
    notifiers.push({
      name: "slack",
      async send(n) {
        const answer = await httpJson(http, {
          method: "POST",
          url: slack.webhookUrl,
          body: slackMessage(n),
          timeoutMs,
        });
        // Slack answers 200 "ok"; anything else is a refusal with a reason in the body.
        if (answer.status !== 200)
          throw new Error(
            `Slack answered ${answer.status}${typeof answer.body === "string" && answer.body ? `: ${answer.body.slice(0, 200)}` : ""}`,
          );
      },
    });
  const email = spec.email;
  if (email)
    notifiers.push({
      name: "email",
      async send(n) {
        const transport = createTransport({
          host: email.host,
          port: email.port,
          secure: email.secure,
          ...(email.user ? { auth: { user: email.user, pass: email.password ?? "" } } : {}),
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs,
        });
        try {
          const { subject, text } = emailMessage(n);
          await transport.sendMail({ from: email.from, to: email.to, subject, text });
        } finally {
          transport.close();
        }
      },
    });
  return notifiers;
}

/**
 * Sends `n` through every notifier, each retried up to `attempts` times with
 * doubling backoff; never throws. Bounded: attempts × (timeout + backoff).
 */
export async function deliver(
  notifiers: readonly Notifier[],
  n: Notification,
  options: { attempts: number; backoffMs: number },
): Promise<Delivery[]> {
  return Promise.all(
    notifiers.map(async (notifier) => {
      let error = "";
      for (let attempt = 1; attempt <= options.attempts; attempt++) {
        try {
          await notifier.send(n);
          return { notifier: notifier.name, delivered: true, attempts: attempt };
        } catch (e) {
          error = describeError(e);
          if (attempt < options.attempts) await sleep(options.backoffMs * 2 ** (attempt - 1));
        }
      }
      return { notifier: notifier.name, delivered: false, attempts: options.attempts, error };
    }),
  );
}
