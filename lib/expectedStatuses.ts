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
