import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of CORS (C1–C5), as data. */
export const CORS_SPECS: readonly ProbeSpec[] = [
  {
    id: "C1",
    family: "cors",
    title: "allowed origins",
    sends: "a preflight from each allowed origin, asking for the route's method and headers",
    expects:
      "2xx with exactly that origin, the method and headers allowed, credentials when configured, Vary: Origin",
    safety: "readOnly",
    readBack: "none",
    claim:
      "WhatsApp portal (001): CORS for the portal's origin; plan (000) X.I-2: LIFF pages call the API from their domain",
  },
  {
    id: "C2",
    family: "cors",
    title: "foreign origin",
    sends: "a preflight and a request from an unknown origin, with and without a Cookie",
    expects: "the origin never reflected in Access-Control-Allow-Origin",
    safety: "readOnly",
    readBack: "none",
    claim: 'Telegram wallet (003): "restrict origins to frontend domain + Telegram only"',
  },
  {
    id: "C3",
    family: "cors",
    title: "bypass origins",
    sends:
      "null, the allowed host as a prefix or suffix of another, _ and ` tricks, the http:// downgrade",
    expects: "none of them reflected",
    safety: "readOnly",
    readBack: "none",
    claim:
      "Telegram wallet (003): origins restricted (allow-lists that match by prefix or regex leak)",
  },
  {
    id: "C4",
    family: "cors",
    title: "no wildcard",
    sends: "a preflight from an allowed and from an unknown origin",
    expects: "Access-Control-Allow-Origin never *",
    safety: "readOnly",
    readBack: "none",
    claim: 'Telegram wallet (003): "allows https://web.telegram.org but never *"',
  },
  {
    id: "C5",
    family: "cors",
    title: "development origins",
    sends: "a preflight from each configured development origin",
    expects: "none reflected",
    safety: "readOnly",
    readBack: "none",
    claim: "WhatsApp portal (001), Whop app (002): production allows only production origins",
  },
];
