#!/usr/bin/env node
// The harness as one Node process, for process managers (systemd, a container's PID 1, a
// Kubernetes CronJob, CI): `pnpm` exits at once on SIGTERM without forwarding a SIGTERM sent
// to it alone, and tsx's CLI SIGKILLs a child slow to acknowledge one. Here the signal reaches
// the harness itself, which stops its waits, cleans up, and exits with the code that says why.
//
// It runs the JavaScript build in dist/ (`pnpm install` makes it; `pnpm build` remakes it) while
// that build is fresh: no source it was made from is newer. Else, or with HARNESS_FROM_SOURCE=1,
// it runs the TypeScript source through tsx, as development does: an edit is never run stale.
import { buildIsFresh } from "../lib/buildIsFresh.mjs";

const compiled =
  process.env.HARNESS_FROM_SOURCE !== "1" && buildIsFresh(new URL("../", import.meta.url));
if (!compiled) (await import("tsx/esm/api")).register();
const { main } = compiled
  ? await import("../dist/cli/harness.js")
  : await import("../cli/harness.ts");
const { runEntry } = compiled
  ? await import("../dist/lib/runEntry.js")
  : await import("../lib/runEntry.ts");
runEntry("harness", () => main(process.argv.slice(2), process.env));
