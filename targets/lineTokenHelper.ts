import type { RequestBudget } from "../lib/config/targetProfile.ts";
import { httpJson } from "../lib/drivers/httpJson.ts";
import { WaitAbortedError } from "../lib/drivers/withinBound.ts";
import { ConfigError, DependencyUnreachableError, describeError } from "../lib/errors.ts";
import { redactUrl } from "../lib/redact.ts";
import { TEST_HELPER_HEADER } from "./referenceParts.ts";

/** Where the LINE token helper is and how the harness authenticates to it. */
export interface TokenHelper {
  /** `<LINE emulator>/test/id-tokens`. */
  url: string;
  testHelperSecret: string;
  /** Where the secret comes from, for the error when it is refused (e.g. STAGING_TEST_HELPER_SECRET). */
  secretSource: string;
}

/**
 * `POST <LINE emulator>/test/id-tokens` on the run's HTTP agent, bounded by
 * the run's request timeout. The helper is the harness's dependency, not the
 * target: down, failing or silent is DependencyUnreachableError (exit 3);
 * refusing the secret, or not there at that URL, is a ConfigError (exit 2)
 * naming what to fix.
 */
export async function mintThroughHelper(
  helper: TokenHelper,
  user: { sub: string; name: string },
  budget: RequestBudget,
): Promise<{ idToken: string; sub: string }> {
  const where = redactUrl(helper.url);
  const unreachable = (reason: string) =>
    new DependencyUnreachableError(
      "LINE token helper",
      where,
      reason,
      "Is the LINE emulator running at that URL? It mints the test users' ID tokens.",
    );
  let response: Awaited<ReturnType<typeof httpJson>>;
  try {
    response = await httpJson(budget.agent, {
      method: "POST",
      url: helper.url,
      headers: { [TEST_HELPER_HEADER]: helper.testHelperSecret },
      body: user,
      timeoutMs: budget.timeoutMs,
      ...(budget.signal ? { signal: budget.signal } : {}),
    });
  } catch (error) {
    if (budget.signal?.aborted) throw new WaitAbortedError("LINE token helper");
    const name = (error as { name?: string }).name ?? "";
    const timedOut = ["TimeoutError", "HeadersTimeoutError", "BodyTimeoutError"].includes(name);
    throw unreachable(
      timedOut
        ? `no answer within ${budget.timeoutMs} ms (--request-timeout)`
        : describeError(error),
    );
  }
  const { status } = response;
  if (status === 401 || status === 403) {
    throw new ConfigError(
      [
        `The LINE token helper at ${where} answered ${status}: it refused the test-helper secret. Set ${helper.secretSource} to the secret the deployed emulator accepts.`,
      ],
      "The LINE token helper refused the harness",
    );
  }
  if (status >= 500) throw unreachable(`it answered ${status}`);
  const body = response.body as { idToken?: unknown; sub?: unknown } | undefined;
  if (status !== 200 || typeof body?.idToken !== "string") {
    throw new ConfigError(
      [
        `The LINE token helper at ${where} answered ${status}${status === 200 ? " without an idToken" : ""}: is that URL the LINE emulator (it serves POST /test/id-tokens)?`,
      ],
      "The LINE token helper is misconfigured",
    );
  }
  return { idToken: body.idToken, sub: String(body.sub ?? user.sub) };
}
