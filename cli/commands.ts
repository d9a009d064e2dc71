/* The harness CLI's commands: their names, what each does (for `--help`), and their usage lines. */

export type CommandName =
  | "smoke"
  | "load"
  | "probe"
  | "sweep"
  | "watch"
  | "alerts:rules"
  | "signoff"
  | "merge"
  | "k6-operator"
  | "k8s-job"
  | "init";

export const COMMANDS: Record<CommandName, string> = {
  smoke:
    "Runs the joint smoke against a target: identify, create and pay an order, assert the integration acted.",
  load: "Runs load scenarios against a target (identify, webhook, sustained, and any it declares) and judges their thresholds.",
  probe:
    "Probes a target's webhook receivers the way attackers and retries will (W, H: signatures, replays, duplicates, ack time, oversized bodies) and its HTTP surface (A, C, R, HC, S, T, E: auth, CORS, rate limits, health, status codes, HTTPS and pages, exposed surfaces).",
  sweep:
    "Removes leftovers of crashed runs of any suite (webhook jobs, then rows) older than --older-than.",
  watch:
    "Checks the webhook DLQ depth and Curva's webhook 5xx rate, and alerts once per incident (Slack, email).",
  "alerts:rules":
    "Prints the watch's rules as a Prometheus alerting rules file (for teams with Alertmanager).",
  signoff:
    "Reads a smoke run and load runs (and a baseline) and writes the release sign-off: GO or NO-GO, why, and the evidence.",
  "k6-operator":
    "Writes the k6-operator manifests (TestRun, ConfigMap, Secret, results claim) that run scenarios over --parallelism runners, each validated against the operator's CRD, and the plan harness merge judges their results by.",
  "k8s-job":
    "Writes a Kubernetes Indexed Job (and results claim) that runs scenarios on the Node engine over --parallelism pods, each its --segment job/N, for harness merge.",
  init: "Writes a commented starting config for a kind of target (--kind stripe-app, whop-app, telegram-mini-app, whatsapp-portal, line-bot or generic), every secret read from a named environment variable, and says what to export and how to run it.",
  merge:
    "Adds the shards of a split load run (harness load --segment … --shard-dir …, one per runner) exactly and judges the whole: the same reports as one run, or INCOMPLETE when a segment is missing, duplicated, partial or of another plan.",
};

/** A command whose usage line is not `<command> [options]`. */
export const USAGE: Partial<Record<CommandName, string>> = {
  merge: "merge <shard dir>… [options]",
};
