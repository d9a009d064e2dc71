/**
 * Reads samples out of the Prometheus text exposition format (what a
 * service's `/metrics` answers): the samples of one metric, each with its
 * labels. Enough of the format for counters and gauges; a histogram's
 * series (`_bucket`, `_count`, `_sum`) are read each by its own name.
 */

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;

function unescapeLabel(value: string): string {
  return value.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const label = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    label.lastIndex = at;
    const m = label.exec(text);
    if (!m) return undefined;
    labels[m[1] as string] = unescapeLabel(m[2] as string);
    at = label.lastIndex;
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** Every sample of `metric` in `text`; lines that do not parse are skipped. */
export function samplesOf(text: string, metric: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (!m || m[1] !== metric) continue;
    const labels = m[2] ? parseLabels(m[2]) : {};
    const value = parseValue(m[3] as string);
    if (labels && !Number.isNaN(value)) samples.push({ labels, value });
  }
  return samples;
}
