import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { resolvePointer } from "../lib/jsonPointer.ts";
import type { Exchange } from "./probeDelivery.ts";
import {
  hiddenIn,
  is2xx,
  type SurfaceProbe,
  send,
  statusText,
  verdictOf,
} from "./surfaceContext.ts";

/*
 * Session revocation (A6): log in, reach a protected route with the
 * session (the control), log out with it, then replay the old session,
 * which must be refused. The session the target minted is a secret of the
 * run: it is shown by its length only, wherever it appears.
 */

type Session = NonNullable<ProbeHttp["sessionRevocation"]>;

/** The session the login yielded, as a header to send; or why there is none. */
function sessionOf(
  spec: Session,
  login: Exchange,
): { headers: Record<string, string>; value: string } | { missing: string } {
  const credential = spec.credential;
  if ("cookie" in credential) {
    const set = login.headers["set-cookie"] ?? "";
    // undici joins several Set-Cookie headers with ", ": each starts a cookie at its name.
    const match = new RegExp(
      `(?:^|[,;]\\s*)${credential.cookie.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}=([^;,]*)`,
    ).exec(set);
    return match?.[1]
      ? { headers: { cookie: `${credential.cookie}=${match[1]}` }, value: match[1] }
      : { missing: `the login set no ${credential.cookie} cookie` };
  }
  let body: unknown;
  try {
    body = JSON.parse(login.text);
  } catch {
    return { missing: "the login's body is not JSON, so no token can be read" };
  }
  const at = resolvePointer(body, credential.pointer);
  if (!at.found || typeof at.value !== "string" || at.value === "")
    return { missing: `the login's body has no token at ${credential.pointer}` };
  const header = credential.header ?? "authorization";
  const prefix = credential.prefix ?? (header.toLowerCase() === "authorization" ? "Bearer " : "");
  return { headers: { [header]: `${prefix}${at.value}` }, value: at.value };
}

/** Refused: 401 or 403, or a redirect (a page sends a signed-out visitor to sign in). */
const refused = (a: Exchange) =>
  a.status === 401 || a.status === 403 || (a.status !== null && a.status >= 300 && a.status < 400);

export const SESSION_PROBES: Record<string, SurfaceProbe> = {
  A6: {
    missing: (http) =>
      http.sessionRevocation ? undefined : "probe.http.sessionRevocation is not configured",
    expected:
      "login 2xx with a session; the protected route 2xx with it; logout 2xx; the old session then refused (401/403)",
    async run(ctx) {
      const spec = ctx.http.sessionRevocation as Session;
      const json = (body: string | undefined): Record<string, string> =>
        body !== undefined ? { "content-type": "application/json" } : {};
      const login = await send(
        ctx,
        spec.login,
        { ...json(spec.login.body), ...spec.login.headers },
        spec.login.body,
      );
      const session = is2xx(login) ? sessionOf(spec, login) : undefined;
      const value = session && "value" in session ? session.value : undefined;
      // The session the target minted is a secret of the run: shown by its length only.
      const hide = (a: Exchange) => hiddenIn(a, value ? [value] : [], "session");
      const cases = [
        {
          label: `log in (${spec.login.method} ${spec.login.path})`,
          answer: hide(login),
          wrong: !is2xx(login)
            ? `${statusText(login)}: the login failed, so nothing was judged (are its credentials right?)`
            : session && "missing" in session
              ? session.missing
              : undefined,
        },
      ];
      if (!session || "missing" in session)
        return verdictOf(
          this.expected,
          cases,
          "The session flow could not start: fix the login first.",
        );
      const before = hide(await send(ctx, spec.protected, session.headers));
      cases.push({
        label: `${spec.protected.method} ${spec.protected.path} with the session (control)`,
        answer: before,
        wrong: is2xx(before)
          ? undefined
          : `${statusText(before)}: the session does not reach the protected route, so its refusal after logout would show nothing`,
      });
      if (!is2xx(before))
        return verdictOf(
          this.expected,
          cases,
          "The session does not reach the protected route: is it the right route and credential?",
        );
      const logout = hide(
        await send(
          ctx,
          spec.logout,
          { ...json(spec.logout.body), ...spec.logout.headers, ...session.headers },
          spec.logout.body,
        ),
      );
      const loggedOut = logout.status !== null && logout.status >= 200 && logout.status < 400;
      cases.push({
        label: `log out (${spec.logout.method} ${spec.logout.path})`,
        answer: logout,
        wrong: loggedOut ? undefined : `${statusText(logout)}: the logout failed`,
      });
      if (!loggedOut)
        return verdictOf(
          this.expected,
          cases,
          "The logout did not succeed: nothing about revocation can be judged.",
        );
      const after = hide(await send(ctx, spec.protected, session.headers));
      cases.push({
        label: `${spec.protected.method} ${spec.protected.path} with the logged-out session`,
        answer: after,
        wrong: refused(after)
          ? undefined
          : `${statusText(after)}: the session still works after logout`,
      });
      return verdictOf(
        this.expected,
        cases,
        "Logout does not revoke the session: a stolen cookie or token stays good until it expires. Invalidate it on the server at logout (delete the session row, or deny-list the token's id until its exp).",
      );
    },
  },
};
