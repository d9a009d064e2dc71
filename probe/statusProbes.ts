import { type SurfaceProbe, sendAs, statusText, verdictOf } from "./surfaceContext.ts";

/*
 * Status codes (S1–S3): what clients read from the answers themselves,
 * a 501 for what is not built, a 400 for bad input, a 405 with Allow.
 */

export const STATUS_PROBES: Record<string, SurfaceProbe> = {
  S1: {
    missing: (http) =>
      http.unimplemented?.length ? undefined : "probe.http.unimplemented is not configured",
    expected: "501 (or 401/403 when gated), never 2xx",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.unimplemented ?? []) {
        const a = await sendAs(ctx, route);
        const ok = a.status === 501 || a.status === 401 || a.status === 403;
        const soon = /coming soon|not (yet )?available|under construction/i.test(a.text);
        cases.push({
          label: `${route.method} ${route.path}`,
          answer: a,
          wrong: ok ? undefined : `${statusText(a)}${soon ? ', "coming soon" in a success' : ""}`,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "An unbuilt feature answers as if it worked: clients and monitors read a 2xx as success. Answer 501 Not Implemented until it is built.",
      );
    },
  },
  S2: {
    missing: (http) =>
      http.invalidInputs?.length ? undefined : "probe.http.invalidInputs is not configured",
    expected: "400 with a structured error, never 5xx",
    async run(ctx) {
      const cases = [];
      for (const input of ctx.http.invalidInputs ?? []) {
        const a = await sendAs(
          ctx,
          input,
          { "content-type": input.contentType ?? "application/json" },
          input.body,
        );
        let structured = false;
        try {
          const body = JSON.parse(a.text) as Record<string, unknown>;
          structured =
            typeof body === "object" &&
            body !== null &&
            ("error" in body || "message" in body || "errors" in body);
        } catch {
          structured = false;
        }
        const wrong =
          a.status !== 400
            ? statusText(a)
            : structured
              ? undefined
              : "400 without a structured error";
        cases.push({ label: `${input.method} ${input.path}`, answer: a, wrong });
      }
      return verdictOf(
        this.expected,
        cases,
        "Invalid input is not answered 400 with an error the client can read: validate before use, and answer 400 { error } instead of failing (5xx) or accepting it.",
      );
    },
  },
  S3: {
    missing: (http) =>
      http.methodNotAllowed?.length ? undefined : "probe.http.methodNotAllowed is not configured",
    expected: "405 with Allow",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.methodNotAllowed ?? []) {
        const a = await sendAs(ctx, route);
        const wrong =
          a.status !== 405 ? statusText(a) : a.headers.allow ? undefined : "405 without Allow";
        cases.push({ label: `${route.method} ${route.path}`, answer: a, wrong });
      }
      return verdictOf(
        this.expected,
        cases,
        "A method the route does not take is not answered 405 with Allow (RFC 9110): a 404 or 200 hides the mistake from the client.",
      );
    },
  },
};
