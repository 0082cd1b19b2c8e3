// The Compare view: the current dump against another of the same process. The verdict (same
// process? deadlock confirmed?), then both dumps' threads side by side, each row one thread with
// its status (stuck, progressed, new, exited); under them the selected thread's stacks in Monaco's
// diff editor, A on the left, B on the right.
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { type ThreadCompareStatus, type ThreadComparison, type ThreadSide } from '../../../shared/types';
import { DataTable, type Column } from '../../components/data-table';
import { EmptyState, ErrorMessage, Kbd, Untrusted, VSplit } from '../../components/ui';
import { inert, inertLine } from '../../lib/inert';
import { baseName, formatWhen, plural } from '../../lib/format';
import { useDumps } from '../dumps';
import { useThreads } from '../threads';
import { useCompare } from './compare-store';

const MonacoDiffView = lazy(() => import('../../components/monaco/monaco-diff-view').then((m) => ({ default: m.MonacoDiffView })));

export const STATUS: Record<ThreadCompareStatus, { tone: string; title: string }> = {
  stuck: { tone: 'danger', title: 'At the same frames in both dumps: it did not move' },
  progressed: { tone: 'ok', title: 'Its stack changed between the dumps: it moved' },
  new: { tone: 'accent', title: 'Only in the later dump' },
  exited: { tone: 'neutral', title: 'Only in the earlier dump' },
};

const side = (pick: (t: ThreadComparison) => ThreadSide | null, label: string): Column<ThreadComparison>[] => [
  { id: `${label}-index`, header: `${label} #`, width: 52, align: 'right', mono: true, text: (t) => (pick(t) ? `#${pick(t)?.index}` : ''), sortKey: (t) => pick(t)?.index ?? null },
  { id: `${label}-tid`, header: `${label} TID`, width: 70, align: 'right', mono: true, text: (t) => (pick(t) ? String(pick(t)?.tid) : '') },
  {
    id: `${label}-where`,
    header: `${label}: waits on / top frame`,
    width: 300,
    text: (t) => pick(t)?.waitSummary ?? pick(t)?.topFrame ?? '',
    render: (t) => {
      const s = pick(t);
      if (!s) return <span className="faint">—</span>;
      return (
        <span className={s.isLockWait ? 'tone-lockwait' : undefined} title={inert([s.waitSummary, s.topFrame].filter((x): x is string => !!x).map(inertLine).join('\n'))}>
          {s.waitSummary || s.topFrame ? <Untrusted text={s.waitSummary ?? s.topFrame} /> : '—'}
        </span>
      );
    },
  },
];

const COLUMNS: Column<ThreadComparison>[] = [
  {
    id: 'status',
    header: 'Status',
    width: 96,
    text: (t) => t.status,
    render: (t) => (
      <span className={`badge ${STATUS[t.status].tone}`} title={STATUS[t.status].title}>
        {t.status}
      </span>
    ),
  },
  ...side((t) => t.a, 'A'),
  ...side((t) => t.b, 'B'),
  { id: 'summary', header: 'What changed', width: 320, grow: true, text: (t) => t.summary },
];

const rowKey = (t: ThreadComparison) => t.tid;

export function CompareView() {
  const current = useDumps((s) => s.current);
  const dumps = useDumps((s) => s.dumps);
  const { comparison, status, error, otherId, forDumpId, selectedTid, compareWith, select, clear } = useCompare();
  const others = useMemo(() => dumps.filter((d) => d.id !== current?.id), [dumps, current?.id]);
  // Same process first (its pid and name), then the rest.
  const sorted = useMemo(() => [...others].sort((a, b) => Number(b.process === current?.process) - Number(a.process === current?.process)), [others, current?.process]);
  useEffect(() => {
    if (current && forDumpId !== null && forDumpId !== current.id) clear();
  }, [current, forDumpId, clear]);

  if (!current) return <EmptyState title="No dump open">Open a dump, then compare it with a second dump of the same process (taken a few seconds later).</EmptyState>;
  const picker = (
    <label className="field">
      <span className="field-label">
        Compare <Untrusted text={current.process} /> with
      </span>
      <select className="input" aria-label="Dump to compare with" value={otherId ?? ''} onChange={(e) => e.target.value && void compareWith(Number(e.target.value))}>
        <option value="">choose a dump…</option>
        {sorted.map((d) => (
          <option key={d.id} value={d.id}>
            {inertLine(d.process)} pid {d.pid} · {inertLine(baseName(d.originalPath ?? d.path))} · {formatWhen(new Date(d.mtimeMs).toISOString())}
          </option>
        ))}
      </select>
    </label>
  );
  if (others.length === 0) {
    return (
      <div className="view-column">
        <div className="toolbar">{picker}</div>
        <EmptyState title="Nothing to compare with">
          Open a second dump of the same process, taken a little later (<span className="mono">dumpscope capture PID --twice</span> takes both): threads at the same
          frames in both are stuck, and a deadlock seen twice is confirmed.
        </EmptyState>
      </div>
    );
  }
  const c = comparison;
  const sel = c?.threads.find((t) => t.tid === selectedTid) ?? null;
  return (
    <div className="view-column compare-view">
      <div className="toolbar">
        {picker}
        {c ? (
          <span className="toolbar-count">
            {(Object.keys(STATUS) as ThreadCompareStatus[]).map((k) => (
              <span key={k} className={`badge ${STATUS[k].tone}`} title={STATUS[k].title}>
                {c.verdict.counts[k]} {k}
              </span>
            ))}
            {c.interval ? <span className="muted"> · {inertLine(c.interval.text)} apart</span> : null}
          </span>
        ) : null}
      </div>
      {status === 'loading' ? <div className="loading-line">Comparing…</div> : null}
      {status === 'error' && error ? (
        <div className="banner-area top">
          <ErrorMessage title="Could not compare" error={error} />
        </div>
      ) : null}
      {c ? (
        <>
          <div className={`verdict ${c.verdict.deadlockConfirmed ? 'deadlock' : 'neutral'}`} role="status" data-testid="compare-verdict">
            <span className="verdict-title">{c.verdict.deadlockConfirmed ? 'Deadlock confirmed' : c.verdict.sameProcess ? 'Same process' : 'Different processes'}</span>
            <span className="verdict-text">
              <Untrusted text={c.verdict.summary} />
              <span className="faint">
                {' · A: '}
                <Untrusted text={c.dumpA.process} /> pid {c.dumpA.pid}, <Untrusted text={baseName(c.dumpA.originalPath ?? c.dumpA.path)} />
                {' · B: '}
                <Untrusted text={c.dumpB.process} /> pid {c.dumpB.pid}, <Untrusted text={baseName(c.dumpB.originalPath ?? c.dumpB.path)} />
              </span>
            </span>
          </div>
          <VSplit
            id="compare"
            defaultTop={0.5}
            top={
              <DataTable
                label="Compared threads"
                testId="compare-table"
                rows={c.threads}
                columns={COLUMNS}
                rowKey={rowKey}
                selected={selectedTid}
                onSelect={(tid) => {
                  select(tid);
                  // The thread in the current dump, everywhere else.
                  if (useThreads.getState().threads.some((t) => t.tid === tid)) useThreads.getState().select(tid);
                }}
                sort={null}
                onSort={() => {}}
                sortable={false}
                rowClass={(t) => `cmp-${t.status}`}
              />
            }
            bottom={
              <div className="view-column">
                <div className="pane-head">
                  {sel ? (
                    <>
                      Stack of tid {sel.tid}: A (left) · B (right)
                      <span className="pane-sub">
                        {sel.divergence?.lastCommonFrame ? (
                          <>
                            they part after <Untrusted text={sel.divergence.lastCommonFrame} />
                          </>
                        ) : null}
                      </span>
                    </>
                  ) : (
                    'Pick a thread'
                  )}
                  <span className="push-right faint">
                    <Kbd>↑</Kbd>
                    <Kbd>↓</Kbd> thread · {plural(c.persistentEdges.length, 'blocker')} in both dumps
                  </span>
                </div>
                <div className="editor-area">
                  {sel ? (
                    <Suspense fallback={<div className="loading-line">Loading the editor…</div>}>
                      <MonacoDiffView original={sel.framesA.join('\n')} modified={sel.framesB.join('\n')} label={`Stacks of tid ${sel.tid}`} />
                    </Suspense>
                  ) : null}
                </div>
              </div>
            }
          />
        </>
      ) : status === 'idle' ? (
        <EmptyState title="Compare two dumps">
          Choose a second dump of <Untrusted text={current.process} /> above: the threads of both are matched by tid (and managed id), and each is stuck, progressed, new or exited.</EmptyState>
      ) : null}
    </div>
  );
}
