// Whether a dump's file is still the one indexed (DumpSummary.status, checked by listDumps and
// openDump): gone, or rewritten since. The index still answers for both; only opening a changed
// file reads it again.
import { type DumpFileStatus } from '../../../shared/types';

export const DUMP_STATUS: Record<Exclude<DumpFileStatus, 'ok'>, { label: string; tone: string; explain: string }> = {
  missing: {
    label: 'file missing',
    tone: 'danger',
    explain: 'The file is gone since it was indexed — the index still answers, but nothing new can be read (disassembly, debugger commands, re-indexing).',
  },
  changed: {
    label: 'file changed',
    tone: 'warning',
    explain: 'The file changed since it was indexed — open it to re-index (the index describes the old contents until then).',
  },
};

/** A badge for a missing or changed file (nothing when the file is as indexed or was not checked). */
export function DumpStatusBadge({ status }: { status: DumpFileStatus | undefined }) {
  if (!status || status === 'ok') return null;
  const s = DUMP_STATUS[status];
  return (
    <span className={`badge ${s.tone}`} title={s.explain} data-testid="dump-status" data-status={status}>
      {s.label}
    </span>
  );
}
