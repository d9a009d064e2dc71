import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { expectGolden } from "../../testkit/golden.ts";
import { runHarness } from "../../testkit/runHarness.ts";
import { indexedJobManifests } from "./indexedJob.ts";
import { k6OperatorManifests } from "./k6OperatorManifests.ts";
import { manifestProblems, manifestYaml, strictSchema } from "./manifestSchemas.ts";

/*
 * The manifests of a split run: generated, checked against the k6-operator's
 * own CRD schema (and strictly: a field the schema does not define fails),
 * and golden; upstream's known-bad sample fails; no credential in what
 * travels (the merge of a k6-operator run's results:
 * ../k6OperatorShards.test.ts).
 */

const SCHEMAS = new URL("./schemas/", import.meta.url);
const root = await mkdtemp(join(tmpdir(), "harness-manifests-test-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const RESOURCES = { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } };
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.test-user-token.signature";
const SECRET = "whsec_c2lnbmluZy1zZWNyZXQtZm9yLXRoZS10ZXN0";

function operatorManifests() {
  return k6OperatorManifests({
    name: "nightly-identify",
    namespace: "load",
    parallelism: 4,
    image: "grafana/k6:1.3.0",
    resources: RESOURCES,
    storage: "2Gi",
    script: "export function run() {}\n",
    plan: {
      options: {
        scenarios: {},
        thresholds: {},
        summaryTrendStats: [],
        discardResponseBodies: true,
      },
      scenarios: { identify: ["identify"] },
      endpoints: { identify: { method: "POST", expectedStatuses: [{ min: 200, max: 399 }] } },
    } as never,
    made: {
      identify: {
        url: "http://127.0.0.1:1/identify",
        headers: { "content-type": "application/json" },
        bodies: [JSON.stringify({ idToken: TOKEN })],
      },
    },
    secrets: { webhook: SECRET },
    planHash: "0".repeat(64),
  });
}

function jobManifests() {
  return indexedJobManifests({
    name: "nightly-node",
    namespace: "load",
    parallelism: 3,
    image: "registry.example/harness:1",
    workingDir: "/harness",
    loadArgs: ["--config", "harness.config.ts", "--target", "staging", "--scenario", "sustained"],
    startAt: "2026-12-01T20:00:00.000Z",
    envSecret: "nightly-node-env",
    resources: RESOURCES,
    storage: "2Gi",
    deadlineSec: 1_560,
  });
}

describe("generated manifests", () => {
  it("validate against the CRD schema, strictly, and the operator's rules; golden", async () => {
    const op = operatorManifests();
    const job = jobManifests();
    for (const doc of [op.testRun, op.configMap, op.secret, op.claim, job.job, job.claim])
      expect(manifestProblems(doc)).toEqual([]);
    await expectGolden(new URL("./golden/testrun.yaml", import.meta.url), manifestYaml(op.testRun));
    await expectGolden(new URL("./golden/job.yaml", import.meta.url), manifestYaml(job.job));
    // What the operator gives each runner: segment i of N, from $(HARNESS_POD_NAME)'s own files.
    const args = (op.testRun.spec as { args: string[] }).args;
    expect(args).toContain("json=/results/$(HARNESS_POD_NAME).json.gz");
    expect(args.join(" ")).not.toMatch(/execution-segment/);
    const container = ((
      job.job.spec as never as { template: { spec: { containers: { args: string[] }[] } } }
    ).template.spec.containers[0]?.args ?? []) as string[];
    expect(container).toEqual(
      expect.arrayContaining([
        "--segment",
        "job/3",
        "--shard-dir",
        "/results/runner-$(JOB_COMPLETION_INDEX)",
      ]),
    );
  });

  it("a misspelt field fails the strict check (a cluster would drop it), and so do the operator's rules", () => {
    const op = operatorManifests();
    const spec = op.testRun.spec as Record<string, unknown>;
    const misspelt = { ...op.testRun, spec: { ...spec, paralelism: 4 } };
    expect(manifestProblems(misspelt).join()).toMatch(/field "paralelism" is not in the schema/);
    const runner = spec.runner as Record<string, unknown>;
    const deep = {
      ...op.testRun,
      spec: { ...spec, runner: { ...runner, imagePullPolicyy: "Always" } },
    };
    expect(manifestProblems(deep).join()).toMatch(/imagePullPolicyy/);
    const twoSources = {
      ...op.testRun,
      spec: { ...spec, script: { configMap: { name: "a" }, localFile: "/test/x.js" } },
    };
    expect(manifestProblems(twoSources).join()).toMatch(/exactly one of configMap/);
    expect(manifestProblems({ ...op.testRun, spec: { ...spec, parallelism: 0 } }).join()).toMatch(
      /parallelism/,
    );
    const job = jobManifests().job;
    const jobSpec = job.spec as Record<string, unknown>;
    expect(
      manifestProblems({ ...job, spec: { ...jobSpec, completionsMode: "Indexed" } }).join(),
    ).toMatch(/completionsMode/);
    expect(manifestProblems({ ...op.claim, kind: "Deployment" }).join()).toMatch(
      /not one the harness/,
    );
    // Kubernetes refuses a Secret over 1 MiB (a thousand test users' bodies come close).
    const big = { ...op.secret, stringData: { "requests.json": "x".repeat(1_048_577) } };
    expect(manifestProblems(big).join()).toMatch(/over the 1048576 a Secret may hold/);
  });

  it("upstream's samples: the good ones validate, the known-bad one fails", async () => {
    const sample = async (name: string) =>
      manifestProblems(parse(await readFile(new URL(name, SCHEMAS), "utf8")));
    expect(await sample("k6_v1alpha1_testrun.yaml")).toEqual([]);
    expect(await sample("k6_v1alpha1_testrun_with_args.yaml")).toEqual([]);
    expect(await sample("k6_v1alpha1_testrun_with_volumeClaim.yaml")).toEqual([]);
    expect((await sample("k6_v1alpha1_testrun_with_output.yaml")).join()).toMatch(
      /script: must be object/,
    );
  });

  it("the strict pass leaves objects that keep unknown fields open", () => {
    const open = strictSchema({
      type: "object",
      properties: {
        a: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: {} },
      },
    }) as { additionalProperties: boolean; properties: { a: { additionalProperties?: boolean } } };
    expect(open.additionalProperties).toBe(false);
    expect(open.properties.a.additionalProperties).toBeUndefined();
  });

  it("no credential in what travels: the ConfigMap and TestRun hold no token or secret; the Secret does", () => {
    const op = operatorManifests();
    for (const travels of [op.configMap, op.testRun, op.claim]) {
      const text = JSON.stringify(travels);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("127.0.0.1:1");
    }
    const secret = JSON.stringify(op.secret);
    expect(secret).toContain(TOKEN);
    expect(secret).toContain(SECRET);
  });
});

describe("harness k6-operator", () => {
  it("writes validated manifests for a test-user scenario: tokens only in secret.yaml (mode 600)", {
    timeout: 60_000,
  }, async () => {
    const out = join(root, "cli");
    const run = await runHarness(
      [
        "k6-operator",
        "--config",
        "testkit/declaredLoad.config.ts",
        "--target",
        "declared",
        "--scenario",
        "asUsers,signed",
        "--parallelism",
        "3",
        "--name",
        "as-users",
        "--out",
        out,
      ],
      { DECLARED_URL: "http://127.0.0.1:9", DECLARED_SECRET: SECRET },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const files = await readdir(out);
    expect(files.sort()).toEqual([
      "configmap.yaml",
      "plan.json",
      "results-claim.yaml",
      "secret.yaml",
      "testrun.yaml",
    ]);
    const secret = await readFile(join(out, "secret.yaml"), "utf8");
    expect((await stat(join(out, "secret.yaml"))).mode & 0o777).toBe(0o600);
    // The test users' tokens are JWTs: every one is in the Secret, none anywhere else.
    const tokens = [...secret.matchAll(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g)].map((m) => m[0]);
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    expect(secret).toContain(SECRET);
    for (const file of files.filter((f) => f !== "secret.yaml")) {
      const text = await readFile(join(out, file), "utf8");
      for (const token of tokens) expect(text, file).not.toContain(token);
      expect(text, file).not.toContain(SECRET);
      if (file.endsWith(".yaml")) expect(manifestProblems(parse(text))).toEqual([]);
    }
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it("refuses the local target (exit 2, nothing written): its stack stops when the command exits", async () => {
    for (const command of ["k6-operator", "k8s-job"]) {
      const out = join(root, `local-${command}`);
      const run = await runHarness([command, "--target", "local", "--out", out, "--image", "x"]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `${command} --target local: that target is set up fresh for each run and stops when this command exits`,
      );
      expect(await readdir(out).catch(() => "none")).toBe("none");
    }
  });

  it("harness k8s-job: a validated Indexed Job whose deadline covers the wait for the agreed start; --image is required", {
    timeout: 60_000,
  }, async () => {
    const out = join(root, "job");
    const args = [
      "k8s-job",
      ...["--config", "testkit/declaredLoad.config.ts", "--target", "declared"],
      ...["--scenario", "asUsers", "--parallelism", "3", "--name", "as-users", "--out", out],
    ];
    const env = { DECLARED_URL: "http://127.0.0.1:9", DECLARED_SECRET: SECRET };
    const noImage = await runHarness(args, env);
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toContain("k8s-job needs --image");
    const startAt = new Date(Date.now() + 20 * 60_000).toISOString();
    const run = await runHarness([...args, "--image", "harness:test", "--start-at", startAt], env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const job = parse(await readFile(join(out, "job.yaml"), "utf8"));
    expect(manifestProblems(job)).toEqual([]);
    // 20 minutes of waiting, the scenario's 2 s and its stop, and room for the rest.
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(20 * 60 + 15 * 60);
    const container = job.spec.template.spec.containers[0];
    expect(container.args).toEqual(expect.arrayContaining(["--segment", "job/3", "--start-at"]));
    expect(JSON.stringify(job)).not.toContain(SECRET);
  });

  // A real k6, where there is one (CI machines have none): K6_BIN=/path/to/k6.
  it.skipIf(!process.env.K6_BIN)(
    "k6 archive of the ConfigMap's script and plan carries no token: the requests file is read only at run time",
    { timeout: 60_000 },
    async () => {
      const out = join(root, "cli");
      const configMap = parse(await readFile(join(out, "configmap.yaml"), "utf8")) as {
        data: Record<string, string>;
      };
      const secret = await readFile(join(out, "secret.yaml"), "utf8");
      const tokens = [...secret.matchAll(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g)].map((m) => m[0]);
      const work = join(root, "archive");
      await import("node:fs/promises").then(async (fs) => {
        await fs.mkdir(work, { recursive: true });
        await fs.writeFile(join(work, "script.js"), configMap.data["script.js"] as string);
        await fs.writeFile(join(work, "k6-plan.json"), configMap.data["k6-plan.json"] as string);
      });
      const { execFileSync } = await import("node:child_process");
      execFileSync(
        process.env.K6_BIN as string,
        [
          "archive",
          "-e",
          `HARNESS_K6_PLAN=${join(work, "k6-plan.json")}`,
          "-O",
          join(work, "archive.tar"),
          join(work, "script.js"),
        ],
        {
          env: {
            PATH: process.env.PATH ?? "",
            HOME: process.env.HOME ?? "",
            K6_NO_USAGE_REPORT: "true",
            HARNESS_K6_PLAN: join(work, "k6-plan.json"),
          },
        },
      );
      const archive = (await readFile(join(work, "archive.tar"))).toString("latin1");
      expect(archive).toContain("k6-plan.json");
      for (const token of tokens) expect(archive).not.toContain(token);
      expect(archive).not.toContain(SECRET);
    },
  );
});
