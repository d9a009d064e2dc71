/** Text made safe inside HTML and its attributes: the one escaper of every page the harness writes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** One stylesheet for every HTML the harness writes: inline, so a file opens offline. */
const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24}main{max-width:960px;margin:0 auto;padding:16px 24px}
.verdict{padding:14px 24px;color:#fff;font-size:20px;font-weight:600}.pass{background:#1a7f37}.fail{background:#cf222e}.stop{background:#6e7781}
table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:600}.skip{color:#6e7781}
code{font-size:12px}figure{margin:8px 0}figcaption{font-weight:600}.grid{stroke:#eaeef2}.limit{stroke:#cf222e;stroke-dasharray:5 4}
.tick{font-size:10px;fill:#57606a}.legend{font-size:11px}ul.why li{margin-bottom:4px}.muted{color:#57606a}`;

/**
 * The page may fetch nothing and run nothing: a report opened from an
 * artifact stays offline even if a value it shows were to carry markup.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** A self-contained page: the banner (the verdict) first, then the body. No script, nothing fetched. */
export function htmlPage(title: string, banner: string, body: readonly string[]): string {
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    `<meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    banner,
    "<main>",
    ...body,
    "</main></body></html>",
    "",
  ].join("\n");
}
