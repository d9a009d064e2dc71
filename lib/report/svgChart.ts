import { escapeHtml } from "./htmlPage.ts";
/**
 * A line chart as inline SVG, drawn here rather than by a charting library:
 * the report stays one small self-contained file that opens offline (a
 * 10-minute run's 600 points a line cost a few KB), and nothing is fetched.
 */

export interface ChartLine {
  label: string;
  color: string;
  /** [x, y]: x in seconds since the scenario started. */
  points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  title: string;
  unit: string;
  lines: readonly ChartLine[];
  /** A limit drawn as a dashed line (a threshold, a pool's max). */
  limit?: { value: number; label: string };
}

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 52, right: 12, top: 24, bottom: 28 };

function tick(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

/** Three horizontal grid lines (0, half, top) with their values. */
function yGrid(y: (v: number) => number, yMax: number): string[] {
  return [0, 0.5, 1].map((share) => {
    const value = yMax * share;
    return `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" class="grid"/><text x="${PAD.left - 6}" y="${(y(value) + 4).toFixed(1)}" class="tick" text-anchor="end">${tick(value)}</text>`;
  });
}

function legendOf(lines: readonly { label: string; color: string }[]): string {
  return lines
    .map(
      (line, i) =>
        `<text x="${PAD.left + i * 140}" y="14" class="legend" fill="${line.color}">■ ${escapeHtml(line.label)}</text>`,
    )
    .join("");
}

/** One chart: y from 0 to a little above the highest value or limit; x over the run. */
export function lineChart(spec: ChartSpec): string {
  const xs = spec.lines.flatMap((l) => l.points.map(([x]) => x));
  const ys = spec.lines.flatMap((l) => l.points.map(([, y]) => y));
  const xMax = Math.max(1, ...xs);
  // An all-zero chart (no 5xx at all) still gets a readable axis: 0 to 1.
  const yMax = (Math.max(...ys, spec.limit?.value ?? 0) || 1) * 1.1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (v: number) => PAD.left + (v / xMax) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const grid = yGrid(y, yMax);
  const lines = spec.lines.map(
    (line) =>
      `<polyline fill="none" stroke="${line.color}" stroke-width="1.5" points="${line.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ")}"/>`,
  );
  const limit = spec.limit
    ? `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(spec.limit.value).toFixed(1)}" y2="${y(spec.limit.value).toFixed(1)}" class="limit"/><text x="${WIDTH - PAD.right}" y="${(y(spec.limit.value) - 4).toFixed(1)}" class="tick" text-anchor="end">${escapeHtml(spec.limit.label)}</text>`
    : "";
  const legend = legendOf(spec.lines);
  return [
    `<figure><figcaption>${escapeHtml(spec.title)} (${escapeHtml(spec.unit)})</figcaption>`,
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}">`,
    ...grid,
    limit,
    ...lines,
    legend,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" class="tick" text-anchor="end">${tick(xMax)} s</text>`,
    "</svg></figure>",
  ].join("");
}

/** One endpoint's latency distribution: [percentile 0–100, ms] points. */
export interface DistributionSpec {
  title: string;
  lines: readonly {
    label: string;
    color: string;
    points: readonly (readonly [number, number])[];
  }[];
  /** The limit on a percentile (e.g. p(95)<500): a dashed line at the value, a mark at the percentile. */
  limit?: { percentile: number; valueMs: number; label: string };
}

/** The x position of a percentile on HdrHistogram's log axis: log10(1 / (1 − p)), capped at 99.999%. */
const nines = (p: number) => Math.log10(1 / (1 - Math.min(p, 99.999) / 100));

/**
 * Latency by percentile, percentiles on a log axis (0, 90, 99, 99.9,
 * 99.99%): the picture HdrHistogram's plotter and k6's dashboards draw,
 * where a tail shows as the curve's rise on the right.
 */
export function percentileChart(spec: DistributionSpec): string {
  const ys = spec.lines.flatMap((l) => l.points.map(([, v]) => v));
  const yMax = (Math.max(...ys, spec.limit?.valueMs ?? 0) || 1) * 1.1;
  const xMax = nines(99.999);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (p: number) => PAD.left + (nines(p) / xMax) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const grid = yGrid(y, yMax);
  const xTicks = [0, 90, 99, 99.9, 99.99, 99.999].map(
    (p, i, all) =>
      `<line x1="${x(p).toFixed(1)}" x2="${x(p).toFixed(1)}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" class="grid"/><text x="${x(p).toFixed(1)}" y="${HEIGHT - 8}" class="tick" text-anchor="${i === 0 ? "start" : i === all.length - 1 ? "end" : "middle"}">${p}%</text>`,
  );
  const lines = spec.lines.map(
    (line) =>
      `<polyline fill="none" stroke="${line.color}" stroke-width="1.5" points="${line.points.map(([p, v]) => `${x(p).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>`,
  );
  const limit = spec.limit
    ? `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(spec.limit.valueMs).toFixed(1)}" y2="${y(spec.limit.valueMs).toFixed(1)}" class="limit"/><circle cx="${x(spec.limit.percentile).toFixed(1)}" cy="${y(spec.limit.valueMs).toFixed(1)}" r="3" class="limit"/><text x="${WIDTH - PAD.right}" y="${(y(spec.limit.valueMs) - 4).toFixed(1)}" class="tick" text-anchor="end">${escapeHtml(spec.limit.label)}</text>`
    : "";
  const legend = legendOf(spec.lines);
  return [
    `<figure><figcaption>${escapeHtml(spec.title)} (ms by percentile, log axis)</figcaption>`,
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}">`,
    ...grid,
    ...xTicks,
    limit,
    ...lines,
    legend,
    "</svg></figure>",
  ].join("");
}
