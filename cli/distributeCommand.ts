import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { OpenTarget } from "../lib/config/openTarget.ts";
import { newRunId } from "../lib/drivers/runId.ts";
import { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { ConfigError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { indexedJobManifests } from "../load/distribute/indexedJob.ts";
import { k6OperatorManifests } from "../load/distribute/k6OperatorManifests.ts";
import { manifestProblems, manifestYaml } from "../load/distribute/manifestSchemas.ts";
import { planHash, shardPlan } from "../load/distribute/shard.ts";
import { bundleK6Script, K6_SCRIPTS } from "../load/engines/k6/bundleK6Script.ts";
import { equalSequence } from "../load/executionSegment.ts";
import { k6Options } from "../load/k6format/k6Options.ts";
import { splitRequests } from "../load/k6format/k6Plan.ts";
import { loadRequests } from "../load/loadRequests.ts";
import { mintIdentities } from "../load/loadTraffic.ts";
import { identitiesNeeded } from "../load/runLoad.ts";
import { declaredSecrets, testUserEndpoints } from "../load/scenarios/declaredScenarios.ts";
import { requireLoadTarget } from "../load/scenarios/loadSection.ts";
import type { CliOptions } from "./commandLine.ts";
import { scenariosOf } from "./loadCommand.ts";

/** What a runner pod gets unless the flags say otherwise. */
export const DISTRIBUTE_DEFAULTS = {
  /** k6 at the version the harness's k6 path is tested with. */
  k6Image: "grafana/k6:1.3.0",
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
  storage: "2Gi",
  /** Where the harness checkout is in a runner image (Indexed Job). */
  workingDir: "/harness",
} as const;

/** A name for the run's objects when --name gives none: harness-<utc stamp> (DNS-1123). */
function defaultName(runId: string): string {
  return `harness-${runId.slice(5, 20).replace(/[^a-z0-9]/g, "")}`;
}

/** Every generated manifest checked (schema, strictly, and the kind's rules) before it is written. */
function checked(files: Record<string, Record<string, unknown>>): void {
  const problems = Object.entries(files).flatMap(([file, doc]) =>
    manifestProblems(doc).map((p) => `${file} ${p}`),
  );
  // The harness wrote them: a problem here is the harness's bug, never the user's.
  if (problems.length > 0)
    throw new Error(`generated manifests do not validate:\n${problems.join("\n")}`);
}

async function writeManifests(
  out: string,
  files: Record<string, Record<string, unknown>>,
  secretFiles: ReadonlySet<string>,
): Promise<void> {
  await mkdir(out, { recursive: true });
  for (const [file, doc] of Object.entries(files)) {
    const path = join(out, file);
    const text = manifestYaml(doc);
    // A Secret's file holds credentials: this user's only.
    await writeFile(path, text, { mode: secretFiles.has(file) ? 0o600 : 0o644 });
    if (secretFiles.has(file)) await chmod(path, 0o600);
  }
}

function requireOut(options: CliOptions, command: string): string {
  if (!options.distribute.out)
    throw new ConfigError([`${command} needs --out <dir>: where the manifests go.`], "Usage error");
  return options.distribute.out;
}

/**
 * `harness k6-operator`: the TestRun, ConfigMap, Secret and results claim
 * for a split run on the k6-operator, and the plan merge judges it by.
 * Test users are minted now, for the whole run, and travel in the Secret.
 */
export async function k6OperatorCommand(target: OpenTarget, options: CliOptions): Promise<number> {
  const out = requireOut(options, "k6-operator");
  const loadTarget = requireLoadTarget(target.profile);
  const scenarios = scenariosOf(requireLoadTarget(target.profile), options);
  const { parallelism } = options.distribute;
  const runId = newRunId("load");
  const connections = new TargetConnections(loadTarget);
  let identities: Awaited<ReturnType<typeof mintIdentities>>;
  try {
    identities = await mintIdentities(
      loadTarget,
      runId,
      identitiesNeeded(scenarios, testUserEndpoints(loadTarget.load)),
      options.requestTimeoutMs,
      connections.http,
    );
  } finally {
    await connections.close();
  }
  const { shapes, made } = splitRequests(loadRequests(loadTarget, runId, identities));
  const plan = shardPlan(loadTarget, "k6", scenarios, {
    sequence: equalSequence(parallelism),
    index: 0,
  });
  const work = await mkdtemp(join(tmpdir(), "harness-k6op-"));
  let script: string;
  try {
    await bundleK6Script(K6_SCRIPTS.load, join(work, "script.js"));
    script = await readFile(join(work, "script.js"), "utf8");
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const name = options.distribute.name ?? defaultName(runId);
  const manifests = k6OperatorManifests({
    name,
    ...(options.distribute.namespace ? { namespace: options.distribute.namespace } : {}),
    parallelism,
    image: options.distribute.image ?? DISTRIBUTE_DEFAULTS.k6Image,
    resources: DISTRIBUTE_DEFAULTS.resources,
    storage: options.distribute.storage ?? DISTRIBUTE_DEFAULTS.storage,
    script,
    plan: {
      options: k6Options(scenarios, { runner: true }),
      scenarios: Object.fromEntries(scenarios.map((s) => [s.name, s.endpoints])),
      endpoints: shapes,
    },
    made,
    secrets: {
      ...(loadTarget.load.webhook ? { webhook: loadTarget.load.webhook.signing.secret } : {}),
      ...declaredSecrets(loadTarget.load),
    },
    planHash: planHash(plan),
  });
  const files = {
    "testrun.yaml": manifests.testRun,
    "configmap.yaml": manifests.configMap,
    "secret.yaml": manifests.secret,
    "results-claim.yaml": manifests.claim,
  };
  // The Secret grows with the test users (an identify body each): a size the user can change.
  const tooBig = manifestProblems(manifests.secret).filter((p) => p.includes("Kubernetes refuses"));
  if (tooBig.length > 0)
    throw new ConfigError(
      [
        `secret.yaml ${tooBig.join("; ")}: it holds ${identities.length} test users' requests. Give fewer --connections, or run the scenarios that need test users as a k8s-job (its pods mint their own).`,
      ],
      "The manifests cannot be applied",
    );
  checked(files);
  await writeManifests(out, files, new Set(["secret.yaml"]));
  await writeFile(join(out, "plan.json"), `${JSON.stringify(plan, null, 2)}\n`);
  const ns = options.distribute.namespace ? ` -n ${options.distribute.namespace}` : "";
  process.stdout.write(
    [
      `k6-operator · ${scenarios.map((s) => s.name).join(", ")} over ${parallelism} runners · run ${runId} · written to ${resolve(out)}`,
      "  testrun.yaml, configmap.yaml (script and plan, no credentials), secret.yaml (requests and signing secrets: mode 600, never commit it), results-claim.yaml, plan.json (for merge)",
      `  1. kubectl apply${ns} -f ${out}/results-claim.yaml -f ${out}/secret.yaml -f ${out}/configmap.yaml -f ${out}/testrun.yaml`,
      `  2. when the TestRun's stage is finished: copy the claim's files out (load/README.md: "Distributing a scenario"), then kubectl delete${ns} -f ${out}/testrun.yaml -f ${out}/secret.yaml`,
      `  3. harness merge --k6-plan ${out}/plan.json <the copied results folder>`,
      `  test users were minted now for run ${runId}: apply within their tokens' lifetime; harness sweep --target ${target.profile.name} removes what the run created`,
      "",
    ].join("\n"),
  );
  return exitCodeFor("pass");
}

/** `harness k8s-job`: an Indexed Job of Node runners (each `--segment job/N`) and its results claim. */
export async function k8sJobCommand(
  target: OpenTarget,
  options: CliOptions,
  configFile: string,
): Promise<number> {
  const out = requireOut(options, "k8s-job");
  const scenarios = scenariosOf(requireLoadTarget(target.profile), options);
  const { parallelism } = options.distribute;
  if (!options.distribute.image)
    throw new ConfigError(
      [
        "k8s-job needs --image <image>: a harness checkout with its dependencies installed (load/README.md: Distributing a scenario).",
      ],
      "Usage error",
    );
  const name = options.distribute.name ?? defaultName(newRunId("load"));
  const loadArgs = [
    "--config",
    configFile,
    "--target",
    target.profile.name,
    "--scenario",
    scenarios.map((s) => s.name).join(","),
    ...(options.durationSec ? ["--duration", `${options.durationSec}s`] : []),
    ...(options.connections ? ["--connections", String(options.connections)] : []),
    ...(options.ratePerSec ? ["--rate", String(options.ratePerSec)] : []),
    ...Object.entries(options.thresholds).flatMap(([key, condition]) => [
      "--threshold",
      `${key}=${condition}`,
    ]),
  ];
  // The run's bound: the wait for the agreed start, every scenario and its graceful stop, and room
  // for preflight, users and cleanup (a deadline without the wait would stop pods still waiting).
  const waitSec =
    options.split.startAtMs === undefined
      ? 0
      : Math.max(0, Math.ceil((options.split.startAtMs - Date.now()) / 1000));
  const deadlineSec =
    waitSec + scenarios.reduce((sum, s) => sum + s.model.durationSec + 60, 0) + 15 * 60;
  const manifests = indexedJobManifests({
    name,
    ...(options.distribute.namespace ? { namespace: options.distribute.namespace } : {}),
    parallelism,
    image: options.distribute.image,
    workingDir: DISTRIBUTE_DEFAULTS.workingDir,
    loadArgs,
    ...(options.split.startAtMs !== undefined
      ? { startAt: new Date(options.split.startAtMs).toISOString() }
      : {}),
    envSecret: `${name}-env`,
    resources: DISTRIBUTE_DEFAULTS.resources,
    storage: options.distribute.storage ?? DISTRIBUTE_DEFAULTS.storage,
    deadlineSec,
  });
  const files = { "job.yaml": manifests.job, "results-claim.yaml": manifests.claim };
  checked(files);
  await writeManifests(out, files, new Set());
  const ns = options.distribute.namespace ? ` -n ${options.distribute.namespace}` : "";
  process.stdout.write(
    [
      `k8s-job · ${scenarios.map((s) => s.name).join(", ")} over ${parallelism} Node runners · written to ${resolve(out)}`,
      `  1. kubectl create secret generic ${name}-env${ns} --from-env-file=<your target's env file> (the STAGING_* settings; never in these manifests)`,
      `  2. kubectl apply${ns} -f ${out}/results-claim.yaml -f ${out}/job.yaml`,
      `  3. when the Job completes: copy /results/runner-0 … runner-${parallelism - 1} off the claim, then harness merge <those folders>`,
      "",
    ].join("\n"),
  );
  return exitCodeFor("pass");
}
