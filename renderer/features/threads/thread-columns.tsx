// The threads table's columns. Adding a column is one entry here: its header, width, the text
// it shows (also what the filter matches) and, if needed, a sort key or a custom cell.
import { type ThreadInfo } from '../../../shared/types';
import { type Column } from '../../components/data-table';
import { Untrusted } from '../../components/ui';

export type ThreadRow = ThreadInfo;

function stateText(t: ThreadRow): string {
  return t.state === 'syscall' ? `in ${t.syscall?.name ?? 'syscall'}` : 'running';
}

export const THREAD_COLUMNS: Column<ThreadRow>[] = [
  {
    id: 'index',
    header: '#',
    title: "Position in the dump's thread list, 1-based: lldb's thread #N",
    width: 50,
    align: 'right',
    mono: true,
    text: (t) => `#${t.index}`,
    sortKey: (t) => t.index,
  },
  {
    id: 'dbg',
    header: 'DBG',
    title: "dotnet-dump's 0-based thread number (setthread N). Under lldb + SOS, SOS's DBG is lldb's #index instead.",
    width: 54,
    align: 'right',
    mono: true,
    text: (t) => String(t.dbg),
    sortKey: (t) => t.dbg,
  },
  {
    id: 'osid',
    header: 'OSID',
    title: 'The OS thread id in hex, as SOS prints it (clrthreads, pstacks)',
    width: 64,
    align: 'right',
    mono: true,
    text: (t) => t.osid,
    sortKey: (t) => t.tid,
  },
  {
    id: 'tid',
    header: 'TID',
    title: 'The OS thread id in decimal, as lldb (tid =), gdb (LWP) and eu-stack print it',
    width: 72,
    align: 'right',
    mono: true,
    text: (t) => String(t.tid),
    sortKey: (t) => t.tid,
  },
  // .NET: what imported SOS transcripts and the runtime rules say (shown when any thread has it).
  {
    id: 'managedId',
    header: 'ID',
    title: 'The managed thread id (SOS clrthreads ID), from an imported transcript',
    width: 48,
    align: 'right',
    mono: true,
    text: (t) => (t.managed?.managedId != null ? String(t.managed.managedId) : ''),
    sortKey: (t) => t.managed?.managedId ?? null,
  },
  {
    id: 'gcMode',
    header: 'GC mode',
    title: 'Cooperative or Preemptive (SOS clrthreads): a cooperative thread blocks a runtime suspension',
    width: 92,
    text: (t) => t.managed?.gcMode ?? '',
    render: (t) => (t.managed?.gcMode ? <span className={/^coop/i.test(t.managed.gcMode) ? 'badge warning' : 'badge neutral'}><Untrusted text={t.managed.gcMode} /></span> : <span className="faint">—</span>),
  },
  {
    id: 'lockCount',
    header: 'Locks',
    title: 'Monitors the managed thread holds (SOS clrthreads Lock Count)',
    width: 54,
    align: 'right',
    mono: true,
    text: (t) => (t.managed?.lockCount != null ? String(t.managed.lockCount) : ''),
    sortKey: (t) => t.managed?.lockCount ?? null,
  },
  {
    id: 'role',
    header: 'Role',
    title: 'SOS roles (Finalizer, Threadpool Worker…) and what the runtime rules say the thread does',
    width: 180,
    text: (t) => [...(t.managed?.roles ?? []), ...(t.managed?.runtimeRole ? [t.managed.runtimeRole] : [])].join('; '),
  },
  {
    id: 'name',
    header: 'Name',
    title: 'Thread name when the dump records one (the main thread carries the process name)',
    width: 120,
    text: (t) => t.name ?? '',
    sortKey: (t) => t.name,
    render: (t) => (t.name ? <Untrusted text={t.name} /> : <span className="faint">—</span>),
  },
  {
    id: 'state',
    header: 'State',
    title: 'Running, or stopped inside a system call (orig_rax holds its number). A signal badge marks the thread that took it.',
    width: 156,
    text: (t) => (t.signalName ? `${stateText(t)} ${t.signalName}` : stateText(t)),
    sortKey: (t) => stateText(t),
    render: (t) => (
      <span className="state-cell">
        <span className={`state-dot ${t.state}`} aria-hidden="true" />
        {stateText(t)}
        {t.signalName ? <span className="badge danger">{t.signalName}</span> : null}
      </span>
    ),
  },
  {
    id: 'waits',
    header: 'Waits on',
    title: 'What the thread waits for and who holds it, from the wait-for analysis (proven from memory unless marked likely)',
    width: 300,
    text: (t) => t.wait?.summary ?? '',
    render: (t) =>
      t.wait ? (
        <span className={t.wait.isLockWait ? 'tone-lockwait' : undefined}>
          <Untrusted text={t.wait.summary} />
          {t.wait.holderTid === null && t.wait.likelyHolderTid !== null ? <span className="badge warning">likely</span> : null}
        </span>
      ) : (
        <span className="faint">—</span>
      ),
  },
  {
    id: 'top',
    header: 'Top frame',
    title: 'The first frame outside the C library and the dynamic loader',
    width: 220,
    mono: true,
    text: (t) => t.topFrame ?? '',
    render: (t) => (t.topFrame ? <Untrusted text={t.topFrame} /> : <span className="faint">—</span>),
  },
  {
    id: 'waiting',
    header: 'System call',
    title: 'The system call the thread is blocked in, its arguments decoded where known (as strace prints it)',
    width: 320,
    grow: true,
    mono: true,
    text: (t) => t.syscall?.text ?? '',
    render: (t) => (t.syscall ? <Untrusted text={t.syscall.text} /> : <span className="faint">—</span>),
  },
];
