// report: a dump (and its comparison with a second dump) as a report for a bug tracker.
// Takes what the API serves for one dump (summary, threads, stacks, lock graph, module symbol
// status), optionally a DumpComparison and transcript excerpts, and produces a self-contained
// HTML page (inline CSS and SVG, no script, printable), GitHub-ready Markdown (within the
// 65,536-character issue limit) or versioned JSON. Everything from the dump is escaped for the
// format it lands in (escape.ts); the graph layout is our own and deterministic.
export { renderReport, reportFileName } from './export-report';
export { renderHtml } from './render-html';
export { renderMarkdown, GITHUB_BODY_LIMIT, type MarkdownOptions } from './render-markdown';
export { renderJson, buildJsonReport, REPORT_SCHEMA_VERSION, type JsonReport } from './render-json';
export { buildReportModel, evidenceChain, type ReportInput, type ReportModel, type TranscriptExcerpt, type EvidenceStep } from './report-model';
export { escapeHtml, escapeHtmlLines, escapeMarkdown, fenceFor, fencedCode, safeFileName, inertJson, clip, MAX_TEXT } from './escape';
export { layoutGraph, cycleSequences, MAX_NODES, type GraphLayout } from './graph-layout';
export { graphSvg } from './graph-svg';
export { selectTranscriptExcerpts, type TranscriptSource, type ExcerptOptions } from './transcript-excerpts';
