import { type EndpointRequests, K6_ENV, type K6Plan, secretEnv } from "../k6format/k6Plan.ts";
import { K6_RUNNER_SYSTEM_TAGS } from "../k6format/k6Raw.ts";
import { objectMeta, resultsClaim } from "./resultsClaim.ts";

/*
 * The manifests that run a scenario on Grafana's k6-operator, split over N
 * runners (the operator gives each its --execution-segment): a TestRun, a
 * ConfigMap with the bundled script and the plan's shapes (nothing a
 * request is made of), a Secret with what must not travel in a ConfigMap
 * (the requests file: URLs, headers, test users' tokens; the signing
 * secrets), and a claim the runners write their raw results to. The
 * runners judge nothing (no thresholds of their own): `harness merge
 * --k6-plan plan.json <results>` judges the whole.
 */

/** Where things are inside a runner pod. */
const RUNNER_PATHS = {
  /** The operator mounts the script's ConfigMap here. */
  script: "/test",
  requests: "/harness/requests",
  results: "/results",
} as const;

/** The file names of the ConfigMap's and Secret's keys. */
const KEYS = { script: "script.js", plan: "k6-plan.json", requests: "requests.json" } as const;

/** The pod's own name, for its result files on the shared claim (Kubernetes expands $(VAR) in args). */
const POD_NAME_ENV = "HARNESS_POD_NAME";

export interface K6OperatorInputs {
  /** The TestRun's name; the ConfigMap, Secret and claim are named after it. */
  name: string;
  namespace?: string;
  parallelism: number;
  /** The runner image: k6 at the version the harness ran (grafana/k6 tags are versions). */
  image: string;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** The results claim's size, e.g. 2Gi. */
  storage: string;
  /** The bundled load script. */
  script: string;
  /** Options for every scenario (no thresholds: runners judge nothing), scenarios' endpoints, shapes. */
  plan: K6Plan;
  /** What each endpoint's requests are made of: into the Secret. */
  made: Record<string, EndpointRequests>;
  /** Signing secrets by endpoint: into the Secret, to runners as environment variables. */
  secrets: Record<string, string>;
  /** The plan's hash: every sample is tagged with it, and merge checks it. */
  planHash: string;
}

export interface K6OperatorManifests {
  testRun: Record<string, unknown>;
  configMap: Record<string, unknown>;
  secret: Record<string, unknown>;
  claim: Record<string, unknown>;
}

export function k6OperatorManifests(inputs: K6OperatorInputs): K6OperatorManifests {
  const { name } = inputs;
  const metadata = (suffix: string) => objectMeta(inputs, "harness/testrun", suffix);
  const names = { script: `${name}-script`, secret: `${name}-requests`, claim: `${name}-results` };
  const secretKeys = Object.keys(inputs.secrets).map((endpoint) => secretEnv(endpoint));
  const podFile = (ext: string) => `${RUNNER_PATHS.results}/$(${POD_NAME_ENV})${ext}`;
  return {
    testRun: {
      apiVersion: "k6.io/v1alpha1",
      kind: "TestRun",
      metadata: metadata(""),
      spec: {
        parallelism: inputs.parallelism,
        script: { configMap: { name: names.script, file: KEYS.script } },
        // Each element goes to k6 as written (no shell); Kubernetes expands $(HARNESS_POD_NAME).
        args: [
          "--no-usage-report",
          "-e",
          `${K6_ENV.plan}=${RUNNER_PATHS.script}/${KEYS.plan}`,
          "-e",
          `${K6_ENV.requests}=${RUNNER_PATHS.requests}/${KEYS.requests}`,
          "-e",
          `${K6_ENV.summary}=${podFile(".summary.json")}`,
          "--out",
          `json=${podFile(".json.gz")}`,
          `--system-tags=${K6_RUNNER_SYSTEM_TAGS}`,
          "--tag",
          `harness_plan=${inputs.planHash}`,
        ],
        runner: {
          image: inputs.image,
          resources: inputs.resources,
          env: [
            { name: POD_NAME_ENV, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            ...secretKeys.map((key) => ({
              name: key,
              valueFrom: { secretKeyRef: { name: names.secret, key } },
            })),
          ],
          volumes: [
            { name: "results", persistentVolumeClaim: { claimName: names.claim } },
            {
              name: "requests",
              secret: {
                secretName: names.secret,
                items: [{ key: KEYS.requests, path: KEYS.requests }],
              },
            },
          ],
          volumeMounts: [
            { name: "results", mountPath: RUNNER_PATHS.results },
            { name: "requests", mountPath: RUNNER_PATHS.requests, readOnly: true },
          ],
        },
        // Left to the user: the runners' results stay on the claim until collected (README).
      },
    },
    configMap: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: metadata("-script"),
      data: { [KEYS.script]: inputs.script, [KEYS.plan]: `${JSON.stringify(inputs.plan)}\n` },
    },
    secret: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: metadata("-requests"),
      type: "Opaque",
      stringData: {
        [KEYS.requests]: `${JSON.stringify(inputs.made)}\n`,
        ...Object.fromEntries(
          Object.entries(inputs.secrets).map(([endpoint, value]) => [secretEnv(endpoint), value]),
        ),
      },
    },
    claim: resultsClaim(inputs, "harness/testrun", inputs.storage),
  };
}
