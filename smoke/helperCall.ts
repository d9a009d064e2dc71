import type { HelperCall, ServiceName } from "../lib/config/targetProfile.ts";
import { type HttpJsonResponse, httpJson } from "../lib/drivers/httpJson.ts";
import { LATE_ANSWER_MAX_MS } from "../lib/drivers/lateAnswers.ts";
import type { StepContext } from "./stepContext.ts";

export type HelperOutcome<T> =
  | { ok: true; value: T; status: number }
  /** The service answered, but not what the step needs. */
  | { ok: false; answered: true; status: number; observed: string; hint: string }
  /** No answer in time, or the run was interrupted first; the request is left open (see LateAnswers). */
  | { ok: false; answered: false; why: "timeout" | "interrupted"; observed: string; hint: string };

const SERVICE_LABEL: Record<ServiceName, string> = { pasukuru: "Pasukuru", curva: "Curva" };

function statusHint(service: ServiceName, status: number): string {
  const label = SERVICE_LABEL[service];
  if (status === 401 || status === 403) {
    return `${label} refused the credentials: the test-helper secret (or token) in the target's env does not match the deployed one.`;
  }
  if (status === 404)
    return `${label} has no such route or record: is the test helper deployed on this target?`;
  if (status >= 500)
    return `${label} failed internally (${status}): see its logs; a downstream service or its DB may be failing.`;
  return `${label} answered ${status}: the request the profile builds does not match what the service expects.`;
}

function brief(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? null);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

type Arrival<T> = { kind: "answered"; value: T } | { kind: "timeout" } | { kind: "interrupted" };

/** The answer, or why the step stops waiting for it; `answer` itself goes on either way. */
function awaitAnswer<T>(
  answer: Promise<T>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Arrival<T>> {
  return new Promise((resolve, reject) => {
    const onAbort = () => finish({ kind: "interrupted" });
    const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
    function finish(arrival: Arrival<T>): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(arrival);
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);
    answer.then(
      (value) => finish({ kind: "answered", value }),
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Performs a test-helper call from the profile and reads what the step needs
 * from the answer. The step waits `requestTimeoutMs` for it; if the answer is
 * later than that (or the run is interrupted) the request stays open up to
 * LATE_ANSWER_MAX_MS more, tracked in `ctx.late`, and `onValue` still gets a
 * late answer's value, so cleanup knows and removes what the request created.
 */
export async function callHelper<T>(
  ctx: StepContext,
  call: HelperCall<T>,
  onValue: (value: T) => void,
): Promise<HelperOutcome<T>> {
  const path = call.path(ctx.ids);
  const answer = httpJson(ctx.connections.http, {
    method: call.method,
    url: `${ctx.target.services[call.service].url}${path}`,
    ...(call.headers ? { headers: call.headers } : {}),
    ...(call.body ? { body: call.body(ctx.ids) } : {}),
    // Not the run's abort signal: an interrupted run still wants to know what the request did.
    timeoutMs: ctx.requestTimeoutMs + LATE_ANSWER_MAX_MS,
  });
  const read = (response: HttpJsonResponse): HelperOutcome<T> => {
    const value = call.read({ status: response.status, body: response.body });
    if (typeof value === "object" && value !== null && "problem" in value) {
      return {
        ok: false,
        answered: true,
        status: response.status,
        observed: `${response.status} ${brief(response.body)}`,
        hint:
          response.status >= 200 && response.status < 300
            ? `The answer lacks what the step needs: ${value.problem}. Check the profile's read() for this helper.`
            : statusHint(call.service, response.status),
      };
    }
    onValue(value as T);
    return { ok: true, value: value as T, status: response.status };
  };
  const arrival = await awaitAnswer(answer, ctx.requestTimeoutMs, ctx.signal);
  if (arrival.kind === "answered") return read(arrival.value);
  ctx.late.track(`${call.method} ${path}`, answer.then(read));
  const label = SERVICE_LABEL[call.service];
  return arrival.kind === "timeout"
    ? {
        ok: false,
        answered: false,
        why: "timeout",
        observed: `no answer within ${ctx.requestTimeoutMs} ms`,
        hint: `${label} did not answer within the request timeout (--request-timeout ${ctx.requestTimeoutMs} ms): it is stuck or overloaded; if it is only slow, raise --request-timeout.`,
      }
    : {
        ok: false,
        answered: false,
        why: "interrupted",
        observed: "interrupted before the answer",
        hint: "The run was interrupted before the service answered.",
      };
}
