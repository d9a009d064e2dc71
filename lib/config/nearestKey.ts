/** Levenshtein distance, case-insensitive, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(
        above + 1,
        (row[j - 1] as number) + 1,
        diagonal + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The known key nearest to `key`, when one is near enough to be what was meant. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(key, candidate);
    if (!best || d < best.d) best = { key: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}
