import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of pages and their headers (T4–T6), as data. */
export const PAGES_SPECS: readonly ProbeSpec[] = [
  {
    id: "T4",
    family: "pages",
    title: "cookies",
    sends: "GET each configured page",
    expects: "every SameSite=None cookie Secure; each session cookie HttpOnly",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-2: "SameSite=None; Secure cookies passed through"',
  },
  {
    id: "T5",
    family: "pages",
    title: "no mixed content",
    sends: "GET each configured page",
    expects: "no http:// script, stylesheet, image, frame or form target",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-2: "no mixed content"',
  },
  {
    id: "T6",
    family: "pages",
    title: "framing and sniffing",
    sends: "GET each configured page",
    expects: "X-Content-Type-Options: nosniff; frame-ancestors allowing each configured embedder",
    safety: "readOnly",
    readBack: "none",
    claim: "plan (000) X.I-1/X.I-2: the LIFF pages open inside LINE",
  },
];
