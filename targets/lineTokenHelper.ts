import type { RequestBudget } from "../lib/config/targetProfile.ts";
import { describeError } from "../lib/errors.ts";
import { TEST_HELPER_HEADER } from "./referenceProfile.ts";

/** `POST <LINE emulator>/test/id-tokens`, bounded by the run's request timeout; a failure names the URL. */
export async function mintThroughHelper(
  url: string,
  testHelperSecret: string,
  user: { sub: string; name: string },
  budget: RequestBudget,
): Promise<{ idToken: string; sub: string }> {
  const timeout = AbortSignal.timeout(budget.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [TEST_HELPER_HEADER]: testHelperSecret },
      body: JSON.stringify(user),
      signal: budget.signal ? AbortSignal.any([timeout, budget.signal]) : timeout,
    });
  } catch (error) {
    const why = timeout.aborted
      ? `no answer within ${budget.timeoutMs} ms (--request-timeout)`
      : describeError(error);
    throw new Error(`LINE token helper at ${url}: ${why}`);
  }
  const body = (await response.json().catch(() => undefined)) as
    | { idToken?: unknown; sub?: unknown }
    | undefined;
  if (response.status !== 200 || typeof body?.idToken !== "string") {
    throw new Error(
      `LINE token helper at ${url} answered ${response.status}${response.status === 200 ? " without an idToken" : ""}`,
    );
  }
  return { idToken: body.idToken, sub: String(body.sub ?? user.sub) };
}
