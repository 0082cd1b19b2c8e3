// The JSON report: everything the other formats show, as data, under a schema version
// (docs/REPORT-JSON.md). Written with `<`, `>` and `&` as \u escapes, so the text stays inert
// even when someone pastes it into a web page.
import { type DumpComparison, type DumpSummary, type LockGraph, type ModuleSymbolStatus } from '../../../shared/types';
import { inertJson } from './escape';
import { buildReportModel, type EvidenceStep, type ReportInput, type TranscriptExcerpt } from './report-model';

/** Bumped on any change a reader must know about (a field renamed, removed or changing meaning). */
export const REPORT_SCHEMA_VERSION = 1;

export interface JsonReport {
  schemaVersion: number;
  kind: 'dumpscope-report';
  generatedAt: string;
  generator: string;
  title: string;
  severity: 'deadlock' | 'blocked' | 'ok';
  dump: Omit<DumpSummary, 'fromIndex' | 'openedAt'>;
  verdict: LockGraph['verdict'];
  /** Tids whose stacks the HTML shows in full (in a cycle, blocked on a lock, in a persistent edge, or crashed). */
  involvedTids: number[];
  evidence: EvidenceStep[];
  locks: LockGraph;
  threads: ReportInput['threads'];
  stacks: ReportInput['stacks'];
  modules: readonly ModuleSymbolStatus[];
  comparison: DumpComparison | null;
  /** Null when no transcript is attached to the dump. */
  transcripts: readonly TranscriptExcerpt[] | null;
}

export function buildJsonReport(input: ReportInput): JsonReport {
  const m = buildReportModel(input);
  // Fields that describe this open of the index, not the dump, are left out: two exports of one dump compare equal.
  const { fromIndex: _f, openedAt: _o, ...dump } = input.dump;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'dumpscope-report',
    generatedAt: input.generatedAt,
    generator: input.generator,
    title: m.title,
    severity: m.severity,
    dump,
    verdict: input.locks.verdict,
    involvedTids: input.threads.filter((t) => m.involved.has(t.tid)).map((t) => t.tid),
    evidence: m.evidence,
    locks: input.locks,
    threads: input.threads,
    stacks: input.stacks,
    modules: input.modules,
    comparison: input.comparison ?? null,
    transcripts: input.transcripts && input.transcripts.length > 0 ? input.transcripts : null,
  };
}

export function renderJson(input: ReportInput): string {
  return `${inertJson(buildJsonReport(input))}\n`;
}
