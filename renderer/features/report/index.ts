// report: exporting the current dump's report (exportReport) as a download.
export { useReport } from './report-store';
export { ExportMenu } from './export-menu';
