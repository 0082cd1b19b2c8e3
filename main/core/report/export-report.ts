// One entry for every door: a report in the asked format, with a file name and a MIME type
// ready for a save dialog or a browser download.
import { assertNever } from '../../../shared/errors';
import { type ExportedReport, type ReportFormat } from '../../../shared/types';
import { safeFileName } from './escape';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { type ReportInput } from './report-model';

const MIME: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
};

/** dumpscope-report-<process>-<pid>.<ext>: dump text reduced to [A-Za-z0-9._-]. */
export function reportFileName(input: Pick<ReportInput, 'dump'>, format: ReportFormat): string {
  return `dumpscope-report-${safeFileName(input.dump.process)}-${input.dump.pid}.${format}`;
}

export function renderReport(input: ReportInput, format: ReportFormat): ExportedReport {
  let content: string;
  switch (format) {
    case 'html':
      content = renderHtml(input);
      break;
    case 'md':
      content = renderMarkdown(input);
      break;
    case 'json':
      content = renderJson(input);
      break;
    default:
      return assertNever(format, 'report format');
  }
  return { filename: reportFileName(input, format), mime: MIME[format], content };
}
