import { access, readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EnvReader } from "../lib/config/envReader.ts";
import { loadConfigFile } from "../lib/config/loadConfigFile.ts";
import { nearestKey } from "../lib/config/nearestKey.ts";
import { ConfigError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { packageFile } from "../lib/packageFile.ts";

/*
 * `harness init --kind <kind>`: a commented starting config for a kind of
 * target, written where the team's repository keeps it. The templates are
 * the examples (examples/*.config.ts), each tested against a receiver of
 * its kind built on the provider's SDK, so what init writes is known to
 * pass the schema and run. It asks nothing: what the config still needs is
 * read from the config itself (the variables its setup() reads, unset) and
 * printed with the command that runs it.
 */

export const INIT_KINDS = {
  "stripe-app": { file: "stripeApp.config.ts", what: "a Stripe app's webhook receiver" },
  "whop-app": { file: "whopApp.config.ts", what: "a Whop app's webhook receiver" },
  "telegram-mini-app": {
    file: "telegramMiniApp.config.ts",
    what: "a Telegram Mini App backend's HTTP surface",
  },
  "whatsapp-portal": { file: "whatsappPortal.config.ts", what: "a WhatsApp Cloud API receiver" },
  "line-bot": { file: "lineBot.config.ts", what: "a LINE Messaging API bot's webhook" },
  generic: { file: "httpSurface.config.ts", what: "any HTTP API's surface" },
} as const;

export type InitKind = keyof typeof INIT_KINDS;

const EXAMPLES = fileURLToPath(packageFile("examples"));

export async function initCommand(options: {
  kind: string | undefined;
  out: string | undefined;
  force: boolean;
}): Promise<number> {
  const kinds = Object.keys(INIT_KINDS);
  if (options.kind === undefined)
    throw new ConfigError([`init needs --kind <kind>: one of ${kinds.join(", ")}.`], "Usage error");
  if (!Object.hasOwn(INIT_KINDS, options.kind)) {
    const near = nearestKey(options.kind, kinds);
    throw new ConfigError(
      [
        `--kind ${options.kind} is not a kind${near ? `; did you mean ${near}?` : ""} Kinds: ${kinds.join(", ")}.`,
      ],
      "Usage error",
    );
  }
  const template = INIT_KINDS[options.kind as InitKind];
  const out = resolve(options.out ?? "harness.config.ts");
  const exists = await access(out).then(
    () => true,
    () => false,
  );
  if (exists && !options.force)
    throw new ConfigError(
      [
        `${out} exists: init writes a new config. Pass --out <file> for another, or --force to replace it.`,
      ],
      "Usage error",
    );
  await writeFile(out, await readFile(resolve(EXAMPLES, template.file), "utf8"));
  // What the config still needs, read from it: its targets' setup() with no variable set.
  const lines = [`Wrote ${out}: ${template.what}.`];
  const config = await loadConfigFile(out).catch((error: unknown) => {
    lines.push(
      "",
      `It does not load yet (${error instanceof ConfigError ? error.problems.join("; ") : String(error)}).`,
      "Install the harness in that repository (e.g. pnpm add -D <path to the harness>) so curva-pasukuru-harness/config resolves; the variables it reads are listed in its header.",
    );
    return undefined;
  });
  for (const [name, target] of Object.entries(config?.targets ?? {})) {
    const env = new EnvReader({});
    await target
      .setup({ targetName: name, env, keepData: false, purpose: "probe" })
      .catch(() => {});
    lines.push(
      "",
      env.problems.length > 0 ? "Before it runs, export:" : "It reads no variable.",
      ...env.problems.map(
        (p) => `  - ${p.replace(/ Export it, or pick another target with --target\.$/, "")}`,
      ),
      "",
      `Then: harness probe --config ${options.out ?? "harness.config.ts"} --target ${name}`,
      "Every key it may take: docs/profile.md of the harness (the probe section); every probe: probe/README.md.",
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return exitCodeFor("pass");
}
