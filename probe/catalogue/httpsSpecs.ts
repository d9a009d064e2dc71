import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of HTTPS and TLS (T1–T3), as data. */
export const HTTPS_SPECS: readonly ProbeSpec[] = [
  {
    id: "T1",
    family: "https",
    title: "certificate and protocol",
    sends: "a TLS handshake with the https origin, then one offering only TLS 1.1 and older",
    expects:
      "a chain valid for the host, more than the configured days (21) left; TLS 1.1 and older refused",
    safety: "readOnly",
    readBack: "none",
    claim:
      'plan (000): "HTTPS green via Let\u2019s Encrypt", "Endpoint URL: HTTPS only"; WhatsApp portal (001): HTTPS constraints',
  },
  {
    id: "T2",
    family: "https",
    title: "http redirects to https",
    sends: "GET each configured path over http://",
    expects: "a redirect (301, 302, 307, 308) to the same host and path over https",
    safety: "readOnly",
    readBack: "none",
    claim: 'plan (000) X.I-1: "Endpoint URL: HTTPS only"',
  },
  {
    id: "T3",
    family: "https",
    title: "HSTS",
    sends: "GET each configured path over https://",
    expects: "Strict-Transport-Security with max-age at least 180 days",
    safety: "readOnly",
    readBack: "none",
    claim: "plan (000): shop.passkuru.com HTTPS only (X.I-1, X.I-2)",
  },
];
