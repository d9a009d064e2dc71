#!/usr/bin/env node
// The harness as one Node process, for process managers (systemd, a container's PID 1, a
// Kubernetes CronJob, CI): `pnpm` exits at once on SIGTERM without forwarding a SIGTERM sent
// to it alone, and tsx's CLI SIGKILLs a child slow to acknowledge one. Here the signal reaches
// the harness itself, which stops its waits, cleans up, and exits with the code that says why.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/harness.ts");
const { runEntry } = await import("../lib/runEntry.ts");
runEntry("harness", () => main(process.argv.slice(2), process.env));
