import type { EnvReader } from "../lib/config/envReader.ts";
import type { NotifierSpec, WatchSection } from "../lib/config/targetProfile.ts";

/**
 * The watch's notifiers and links from `<PREFIX>_ALERT_*` variables (watch/README.md:
 * "The webhook watch"). Secrets (the Slack webhook URL, the SMTP URL with its
 * password) are scrubbed from every output. Unset variables leave a hole the
 * watch section's check names; other commands never look.
 */
export type AlertEnv = Pick<WatchSection, "notifiers" | "links" | "settings"> & {
  prometheusUrl?: string;
};

export function alertEnv(env: EnvReader, v: (key: string) => string): AlertEnv {
  const notifiers: NotifierSpec = {};
  const slack = env.optional(v("ALERT_SLACK_WEBHOOK_URL"));
  if (slack) {
    env.secrets.push(slack);
    notifiers.slack = { webhookUrl: slack };
  }
  const smtp = env.optional(v("ALERT_SMTP_URL"));
  if (smtp) {
    env.secrets.push(smtp);
    let url: URL | undefined;
    try {
      url = new URL(smtp);
    } catch {
      env.problems.push(
        `${v("ALERT_SMTP_URL")} is not a URL: use smtp://user:password@relay:587 or smtps://…:465.`,
      );
    }
    if (url && url.protocol !== "smtp:" && url.protocol !== "smtps:")
      env.problems.push(`${v("ALERT_SMTP_URL")} must start with smtp:// or smtps://.`);
    if (url) {
      const password = decodeURIComponent(url.password);
      if (password) env.secrets.push(password);
      notifiers.email = {
        host: url.hostname,
        port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 587),
        secure: url.protocol === "smtps:",
        ...(url.username ? { user: decodeURIComponent(url.username), password } : {}),
        from: env.string(v("ALERT_EMAIL_FROM"), { description: "the sender of alert emails" }),
        to: env
          .string(v("ALERT_EMAIL_TO"), { description: "alert email recipients, comma-separated" })
          .split(",")
          .map((a) => a.trim())
          .filter(Boolean),
      };
    }
  }
  const board = env.optional(v("ALERT_BOARD_URL"));
  const signoff = env.optional(v("ALERT_SIGNOFF_URL"));
  const prometheusUrl = env.optional(v("PROMETHEUS_URL"));
  const keyPrefix = env.optional(v("ALERT_KEY_PREFIX"));
  return {
    ...(keyPrefix ? { settings: { keyPrefix } } : {}),
    notifiers,
    links: { ...(board ? { board } : {}), ...(signoff ? { signoff } : {}) },
    ...(prometheusUrl ? { prometheusUrl } : {}),
  };
}
