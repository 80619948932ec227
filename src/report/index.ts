import type { Reporter } from './context';
import { githubReport } from './github';
import { htmlReport } from './html';
import { jsonReport } from './json';
import { junitReport } from './junit';
import { sarifReport } from './sarif';
import { textReport } from './text';

export type { ReportContext, Reporter } from './context';

export const REPORTERS = {
  text: textReport,
  json: jsonReport,
  junit: junitReport,
  github: githubReport,
  sarif: sarifReport,
  html: htmlReport,
} satisfies Record<string, Reporter>;

export type ReportFormat = keyof typeof REPORTERS;

export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];

export function isReportFormat(value: string): value is ReportFormat {
  return Object.prototype.hasOwnProperty.call(REPORTERS, value);
}
