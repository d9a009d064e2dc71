import type { Signoff } from "./signoff.ts";
import { signoffHtml } from "./signoffHtml.ts";
import { signoffMarkdown } from "./signoffMarkdown.ts";

/** One file of a sign-off folder: its name and a pure function of the sign-off. */
export interface SignoffFile {
  name: string;
  render: (signoff: Signoff) => string;
}

/** Every file `harness signoff` writes (beside REPORT_FILES, the run folders' list). */
export const SIGNOFF_FILES: readonly SignoffFile[] = [
  { name: "signoff.json", render: (signoff) => `${JSON.stringify(signoff, null, 2)}\n` },
  { name: "signoff.md", render: signoffMarkdown },
  { name: "signoff.html", render: signoffHtml },
];
