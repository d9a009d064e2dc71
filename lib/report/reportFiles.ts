import type { RunResult } from "../result/runResult.ts";
import { htmlReport } from "./htmlReport.ts";
import { junitXml } from "./junitXml.ts";
import { markdownReport } from "./markdownReport.ts";

/** One file of a run's report folder: its name and a pure function of the result. */
export interface ReportFile {
  name: string;
  render: (result: RunResult) => string;
}

/** Every file a run writes into its report folder; the CLI writes each, for any suite. */
export const REPORT_FILES: readonly ReportFile[] = [
  { name: "summary.json", render: (result) => `${JSON.stringify(result, null, 2)}\n` },
  { name: "junit.xml", render: junitXml },
  { name: "report.md", render: markdownReport },
  { name: "report.html", render: htmlReport },
];
