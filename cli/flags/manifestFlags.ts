import { CLI_DEFAULTS, GENERATORS, type OptionSpec } from "./optionSpec.ts";

/** The manifest generators' options (k6-operator, k8s-job): runners, names, image, storage. */
export const MANIFEST_FLAGS: readonly OptionSpec[] = [
  {
    flag: "parallelism",
    takes: "<n>",
    default: CLI_DEFAULTS.parallelism,
    description: "How many runners (k6-operator runner pods, Job pods) share each scenario.",
    commands: GENERATORS,
  },
  {
    flag: "name",
    takes: "<name>",
    description:
      "The TestRun's or Job's name (DNS-1123: lowercase letters, digits, -); its ConfigMap, Secret and claim are named after it. Default harness-<utc stamp>.",
    commands: GENERATORS,
  },
  {
    flag: "namespace",
    takes: "<namespace>",
    description: "The Kubernetes namespace the manifests go to (default: kubectl's current one).",
    commands: GENERATORS,
  },
  {
    flag: "image",
    takes: "<image>",
    description:
      "The runner image: k6-operator default grafana/k6:1.3.0; k8s-job needs one (a harness checkout with its dependencies installed).",
    commands: GENERATORS,
  },
  {
    flag: "storage",
    takes: "<size>",
    description:
      "The results claim's size (default 2Gi), e.g. 10Gi for long runs (k6 raw results are about 140 bytes a request, gzipped: 2Gi holds some 15 million).",
    commands: GENERATORS,
  },
];
