import { objectMeta, resultsClaim } from "./resultsClaim.ts";

/*
 * The Node engine split over N pods: a Kubernetes Indexed Job whose pod i
 * runs `harness load --segment job/N` (its segment from the
 * JOB_COMPLETION_INDEX Kubernetes sets) and writes its shard to a shared
 * claim, one folder per index; `harness merge` of the N folders judges the
 * whole. The image is a harness checkout with its dependencies installed
 * (the README shows one); the target's settings come from a Secret the user
 * creates from their environment file, never from these manifests. Each pod
 * mints its own test users through the target's token helper.
 */

export interface IndexedJobInputs {
  name: string;
  namespace?: string;
  parallelism: number;
  image: string;
  /** Inside the image: where the harness checkout is. */
  workingDir: string;
  /** The harness load arguments every pod shares (target, config, scenarios, overrides). */
  loadArgs: string[];
  /** The agreed start, ISO 8601: pods scheduled at different moments still start together. */
  startAt?: string;
  /** The Secret holding the target's environment (STAGING_* …), created by the user. */
  envSecret: string;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  storage: string;
  /** Every pod is stopped after this long (the run's bound, with room for preflight and cleanup). */
  deadlineSec: number;
}

const JOB_RESULTS = "/results";

export function indexedJobManifests(inputs: IndexedJobInputs): {
  job: Record<string, unknown>;
  claim: Record<string, unknown>;
} {
  const metadata = (suffix: string) => objectMeta(inputs, "harness/job", suffix);
  const claim = `${inputs.name}-results`;
  return {
    job: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: metadata(""),
      spec: {
        completionMode: "Indexed",
        completions: inputs.parallelism,
        parallelism: inputs.parallelism,
        // A retried pod would run its segment again, later: its shard would not be this run's.
        backoffLimit: 0,
        activeDeadlineSeconds: inputs.deadlineSec,
        template: {
          metadata: { labels: { "harness/job": inputs.name } },
          spec: {
            restartPolicy: "Never",
            containers: [
              {
                name: "runner",
                image: inputs.image,
                workingDir: inputs.workingDir,
                // Node runs the harness itself (bin/harness.mjs): SIGTERM reaches it, and it cleans up.
                command: ["node", "bin/harness.mjs"],
                args: [
                  "load",
                  ...inputs.loadArgs,
                  "--segment",
                  `job/${inputs.parallelism}`,
                  "--shard-dir",
                  `${JOB_RESULTS}/runner-$(JOB_COMPLETION_INDEX)`,
                  ...(inputs.startAt ? ["--start-at", inputs.startAt] : []),
                ],
                envFrom: [{ secretRef: { name: inputs.envSecret } }],
                resources: inputs.resources,
                volumeMounts: [{ name: "results", mountPath: JOB_RESULTS }],
              },
            ],
            volumes: [{ name: "results", persistentVolumeClaim: { claimName: claim } }],
          },
        },
      },
    },
    claim: resultsClaim(inputs, "harness/job", inputs.storage),
  };
}
