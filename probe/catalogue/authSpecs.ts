import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of authentication and sessions (A1–A7), as data. */
export const AUTH_SPECS: readonly ProbeSpec[] = [
  {
    id: "A1",
    family: "auth",
    title: "credentials required",
    sends: "each configured protected route with no credentials",
    expects: "401 (or 403), never 2xx; a 401 without WWW-Authenticate is noted",
    safety: "readOnly",
    readBack: "none",
    claim:
      "Whop app (002): creator endpoints answer 401 without auth in production; plan (000) X.I-4: the DLQ board is protected",
  },
  {
    id: "A2",
    family: "auth",
    title: "JWT matrix",
    sends:
      "a valid bearer JWT, then forged, alg none, expired, not-yet-valid, wrong aud and iss, and empty ones",
    expects: "the valid one passes; every broken one 401 (or the configured 403)",
    safety: "readOnly",
    readBack: "none",
    claim:
      "plan (000) X.I-4: the DLQ board behind an admin JWT; Stripe app (004): auth on every sensitive route",
  },
  {
    id: "A3",
    family: "auth",
    title: "Telegram initData",
    sends:
      "initData signed with the bot token (HMAC with WebAppData), also with \\/ escapes in its user as Telegram's clients send it and with its fields reordered; then with the user edited but the hash kept, the user re-encoded under the original hash, an expired auth_date, none, and a bare X-Telegram-User-Id header",
    expects:
      "the valid ones pass (a backend that re-serialises before checking refuses them); every other one 401 or 403",
    safety: "readOnly",
    readBack: "none",
    claim:
      'Telegram wallet (003) F: "Verify initData hash with bot token", "Remove dependency on direct X-Telegram-User-Id header"',
  },
  {
    id: "A4",
    family: "auth",
    title: "tenant isolation",
    sends: "each configured object, read as its owner and then as another identity",
    expects: "the owner 2xx (the control); the other 403 or 404, never 2xx",
    safety: "readOnly",
    readBack: "none",
    claim:
      'Whop app (002) PR-004: "No open endpoints serving multi-tenant data"; plan (000) X.I-3: staging tenants',
  },
  {
    id: "A5",
    family: "auth",
    title: "roles",
    sends: "each configured role's credentials to the routes it must not reach",
    expects: "403 each (a 401 means the credentials were not taken at all)",
    safety: "readOnly",
    readBack: "none",
    claim:
      'WhatsApp portal (001): "Permission audit selesai untuk role admin, editor, dan agent", role-based test cases',
  },
  {
    id: "A6",
    family: "auth",
    title: "logout revokes the session",
    sends:
      "the configured login, the protected route with its session, the logout, then the protected route with the old session",
    expects:
      "login 2xx with a session (a cookie or a token) and the protected route 2xx with it (the controls); after logout, the old session 401/403 (or a redirect to sign in)",
    safety: "writes",
    readBack: "none",
    claim: 'WhatsApp portal (001): "Refresh token + logout invalidation aktif"',
  },
  {
    id: "A7",
    family: "auth",
    title: "shared-secret routes",
    sends:
      "each configured cron, scheduler or internal route without its secret, with a wrong one, with it in the query instead of its header, then with it",
    expects:
      "the first three refused (401/403, or 404 for a hidden route); the right secret not refused and not 5xx (the control)",
    safety: "writes",
    readBack: "none",
    claim:
      "Whop app (002) PR-007: Vercel Cron hitting /api/scheduler/reminders (a route anyone could call without CRON_SECRET)",
  },
];
