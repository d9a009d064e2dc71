/**
 * Which answers count as expected, with k6's meaning of `http_req_failed`: a
 * response whose status is outside these (or no response at all) failed.
 * Each entry is a status or an inclusive range, as k6's
 * `http.expectedStatuses(200, { min: 300, max: 399 })` takes them.
 * Runtime-neutral: the Node engine and the k6 script both read it.
 */
export type ExpectedStatus = number | { min: number; max: number };

/** k6's default: every 2xx and 3xx answer is expected. */
export const DEFAULT_EXPECTED_STATUSES: readonly ExpectedStatus[] = [{ min: 200, max: 399 }];

export function isExpectedStatus(expected: readonly ExpectedStatus[], status: number): boolean {
  return expected.some((e) =>
    typeof e === "number" ? status === e : status >= e.min && status <= e.max,
  );
}

const isStatus = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= 100 && n <= 599;

/** Problems with a profile's `expectedStatuses` (empty when it is usable or absent). */
export function expectedStatusesProblems(at: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0)
    return [
      `${at} must be a non-empty list of statuses or { min, max } ranges, e.g. [200, { min: 300, max: 399 }].`,
    ];
  const problems: string[] = [];
  value.forEach((entry, i) => {
    const ok =
      isStatus(entry) ||
      (typeof entry === "object" &&
        entry !== null &&
        isStatus((entry as { min?: unknown }).min) &&
        isStatus((entry as { max?: unknown }).max) &&
        (entry as { min: number }).min <= (entry as { max: number }).max);
    if (!ok)
      problems.push(
        `${at}[${i}] is ${JSON.stringify(entry)}: use an HTTP status (100-599) or { min, max } with min <= max.`,
      );
  });
  return problems;
}
