import { HarnessError } from "./errors.ts";
import { exitCodeFor } from "./exitCodes.ts";

/**
 * The one part of lib/ that prints and exits: every entry point ends in it.
 * Runs an entry point's `main` and exits with the code it resolves to, or
 * the code of what it threw (a HarnessError's outcome; anything else is a
 * harness bug, exit 4). One more promise: if the event loop empties while
 * `main` is still pending (a promise that never settles and nothing left to
 * wait for), Node would exit 0 having printed no verdict; this exits 4 and
 * says so instead. `name` prefixes its messages.
 */
export function runEntry(
  name: string,
  main: () => Promise<number>,
  /** Prefix the messages of HarnessErrors with `name:` too (the stack CLI's way). */
  options: { prefixErrors?: boolean } = {},
): void {
  let settled = false;
  process.once("beforeExit", () => {
    if (settled) return;
    process.stderr.write(
      `${name}: stopped without a verdict: the run waited on something that can never finish and nothing else was left to do (a bug in the harness or in the config's code, not a verdict on the target).\n`,
    );
    process.exit(exitCodeFor("internalError"));
  });
  main().then(
    (code) => {
      settled = true;
      process.exit(code);
    },
    (error: unknown) => {
      settled = true;
      if (error instanceof HarnessError) {
        process.stderr.write(`${options.prefixErrors ? `${name}: ` : ""}${error.message}\n`);
        process.exit(exitCodeFor(error.outcome));
      }
      // A bug in the harness, not a verdict on the target: show the stack, and never claim a pass.
      process.stderr.write(
        `${name}: unexpected error (a bug in the harness, not a verdict on the target)\n${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(exitCodeFor("internalError"));
    },
  );
}
