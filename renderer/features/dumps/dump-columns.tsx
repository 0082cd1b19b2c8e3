// The dump library's columns: one entry per column (see data-table).
import { type DumpSummary } from '../../../shared/types';
import { type Column } from '../../components/data-table';
import { Untrusted } from '../../components/ui';
import { DUMP_STATUS, DumpStatusBadge } from './dump-status';
import { formatBytes, formatWhen } from '../../lib/format';

export function dumpColumns(currentId: number | null): Column<DumpSummary>[] {
  return [
    {
      id: 'process',
      header: 'Process',
      width: 150,
      text: (d) => d.process,
      render: (d) => (
        <span className="process-cell">
          {d.id === currentId ? <span className="open-dot" title="Open now" aria-label="open" /> : null}
          <Untrusted text={d.process} />
        </span>
      ),
    },
    {
      id: 'status',
      header: 'File',
      title: 'Whether the file on disk is still the one indexed: missing (deleted or moved since) or changed (rewritten since; opening it re-indexes it)',
      width: 108,
      text: (d) => (d.status && d.status !== 'ok' ? DUMP_STATUS[d.status].label : ''),
      sortKey: (d) => (d.status === 'missing' ? 0 : d.status === 'changed' ? 1 : 2),
      render: (d) => (d.status && d.status !== 'ok' ? <DumpStatusBadge status={d.status} /> : <span className="faint">{d.status === 'ok' ? 'ok' : '—'}</span>),
    },
    { id: 'pid', header: 'PID', width: 64, align: 'right', mono: true, text: (d) => String(d.pid), sortKey: (d) => d.pid },
    { id: 'threads', header: 'Threads', width: 78, align: 'right', mono: true, text: (d) => String(d.threadCount), sortKey: (d) => d.threadCount },
    {
      id: 'signal',
      header: 'Signal',
      width: 76,
      text: (d) => d.signalName ?? '',
      render: (d) => (d.signalName ? <span className="badge danger">{d.signalName}</span> : <span className="faint">—</span>),
    },
    {
      id: 'runtime',
      header: 'Runtime',
      width: 90,
      text: (d) => (d.runtime ? `.NET ${d.runtime.version ?? '?'}` : 'native'),
    },
    { id: 'size', header: 'Size', width: 76, align: 'right', text: (d) => formatBytes(d.size), sortKey: (d) => d.size },
    { id: 'opened', header: 'Opened', width: 96, text: (d) => formatWhen(d.openedAt), sortKey: (d) => d.openedAt },
    {
      id: 'warnings',
      header: '⚠',
      title: 'Problems found while reading (truncation, malformed notes…)',
      width: 34,
      align: 'right',
      text: (d) => (d.warnings.length ? String(d.warnings.length) : ''),
      sortKey: (d) => d.warnings.length,
      cellClass: (d) => (d.warnings.length ? 'tone-warning' : undefined),
    },
    { id: 'path', header: 'Path', width: 240, grow: true, mono: true, text: (d) => d.path },
  ];
}
