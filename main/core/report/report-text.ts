// Small pieces of wording shared by the HTML and Markdown reports.
import { type DumpSummary, type StackFrame, type ThreadCompareStatus, type ThreadComparison } from '../../../shared/types';
import { formatDuration } from '../compare';

/** "2026-11-28 10:48:20 UTC". */
export function utc(ms: number | string): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function signalText(d: DumpSummary): string {
  return d.signalName ? `${d.signalName}${d.signal !== null ? ` (${d.signal})` : ''}` : 'none (taken from a live process)';
}

export const HOW_TEXT: Record<StackFrame['how'], string> = {
  context: 'registers',
  cfi: 'CFI',
  fp: 'frame pointer',
  scan: 'stack scan',
  managed: 'managed',
};

export const STATUS_TEXT: Record<ThreadCompareStatus, string> = {
  stuck: 'stuck',
  progressed: 'progressed',
  new: 'new',
  exited: 'exited',
};

/** Where a progressed thread's stacks part, in a few words. */
export function divergenceText(t: ThreadComparison): string {
  const d = t.divergence;
  if (!d) return '';
  const shared = d.commonOuterFrames === 0 ? 'no frame in common' : `${d.commonOuterFrames} outer frame${d.commonOuterFrames === 1 ? '' : 's'} in common (down to ${d.lastCommonFrame})`;
  const a = d.frameA === null ? 'A ends there' : `A at ${d.frameA} (#${d.indexA})`;
  const b = d.frameB === null ? 'B ends there' : `B at ${d.frameB} (#${d.indexB})`;
  return `${shared}; then ${a}, ${b}`;
}

export function intervalText(ms: number | undefined | null): string {
  return ms === undefined || ms === null ? '' : formatDuration(ms);
}
