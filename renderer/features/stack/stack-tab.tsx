// The Stack view, full width: the threads on the left (↑/↓ there change thread), the selected
// thread's frames as a table (↑/↓ change frame: how each was found, module`function + offset,
// source line, inline frames indented, why the walk stopped), and under them the instructions
// around the selected frame's pc, lldb-style, the pc marked.
import { useEffect, useMemo, useRef } from 'react';
import { type StackFrame, type ThreadInfo } from '../../../shared/types';
import { DataTable, type Column } from '../../components/data-table';
import { EmptyState, ErrorMessage, Kbd, SplitPane, Untrusted, VSplit } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { frameSource } from '../../lib/frames';
import { baseName } from '../../lib/format';
import { DisasmControls } from '../disasm';
import { useSelectedThread, useThreads } from '../threads';
import { useFocusRequest } from '../workspace';
import { HOW, STOP } from './frame-how';
import { FrameName } from './frame-name';
import { useSelectedFrame, useStacks } from './stack-store';
import { FrameDisassembly } from './stack-view';

const FRAME_COLUMNS: Column<StackFrame>[] = [
  { id: 'index', header: '#', width: 44, align: 'right', mono: true, text: (f) => `#${f.index}` },
  {
    id: 'how',
    header: 'How',
    title: 'How the frame was found: regs (the thread\u2019s registers), cfi (DWARF unwind tables), fp (frame-pointer chain), scan (a guess from the stack)',
    width: 58,
    text: (f) => HOW[f.how].label,
    render: (f) => (
      <span className={`badge ${HOW[f.how].tone}`} title={HOW[f.how].title}>
        {HOW[f.how].label}
      </span>
    ),
  },
  { id: 'pc', header: 'PC', title: 'Program counter: exact in the innermost frame, a return address in callers', width: 132, mono: true, text: (f) => f.pc },
  {
    id: 'function',
    header: 'Function',
    title: 'module`function + offset, as lldb prints it; inlined functions are indented above the frame they are inlined into',
    width: 360,
    grow: true,
    mono: true,
    text: (f) => `${f.module ? `${baseName(f.module)}\`` : ''}${f.function ?? f.rawFunction ?? '??'}${f.offset ? ` + ${f.offset}` : ''}`,
    render: (f) => {
      const fn = f.function ?? f.rawFunction;
      return (
        <span className={`frame-cell${f.inline ? ' inline' : ''}`} title={f.rawFunction && f.rawFunction !== fn ? inertLine(f.rawFunction) : undefined}>
          {f.inline ? <span className="frame-inline-mark">↳ </span> : null}
          <FrameName f={f} />
        </span>
      );
    },
  },
  {
    id: 'source',
    header: 'Source',
    width: 300,
    mono: true,
    text: (f) => frameSource(f) ?? '',
    // The file's name and line (the part that matters when the column is narrow); the full path on hover.
    render: (f) =>
      f.file ? (
        <span className="frame-src-cell" title={inertLine(frameSource(f) ?? '') || undefined}>
          <Untrusted text={baseName(f.file)} />
          {f.line !== null ? `:${f.line}` : ''}
        </span>
      ) : (
        <span className="faint">—</span>
      ),
  },
  { id: 'sp', header: 'SP', title: 'Stack pointer in this frame', width: 132, mono: true, text: (f) => f.sp },
];

const THREAD_COLUMNS: Column<ThreadInfo>[] = [
  { id: 'index', header: '#', width: 44, align: 'right', mono: true, text: (t) => `#${t.index}` },
  { id: 'tid', header: 'TID', width: 64, align: 'right', mono: true, text: (t) => String(t.tid) },
  {
    id: 'top',
    header: 'Top frame',
    width: 160,
    grow: true,
    mono: true,
    text: (t) => t.topFrame ?? t.wait?.summary ?? '',
    cellClass: (t) => (t.wait?.isLockWait ? 'tone-lockwait' : undefined),
  },
];

const frameKey = (f: StackFrame) => f.index;
const threadKey = (t: ThreadInfo) => t.tid;

export function StackTab() {
  const t = useSelectedThread();
  const threads = useThreads((s) => s.threads);
  const status = useThreads((s) => s.status);
  const dumpId = useThreads((s) => s.dumpId);
  const select = useThreads((s) => s.select);
  const selectedTid = useThreads((s) => s.selectedTid);

  if (status === 'empty' || dumpId === null) {
    return (
      <EmptyState title="No dump open">
        Open a core dump with <Kbd>Ctrl+O</Kbd>; then pick a thread here or in the Threads view.
      </EmptyState>
    );
  }
  const list = (
    <div className="view-column">
      <div className="pane-head">Threads</div>
      <DataTable label="Threads (stack view)" testId="stack-threads" rows={threads} columns={THREAD_COLUMNS} rowKey={threadKey} selected={selectedTid} onSelect={select} sort={null} onSort={() => {}} sortable={false} />
    </div>
  );
  const main = t ? <ThreadStackPane dumpId={dumpId} thread={t} /> : <EmptyState title="No thread selected">Pick a thread on the left (↑/↓).</EmptyState>;
  return <SplitPane id="stack-threads" sideFirst side={list} main={main} defaultSide={300} minSide={200} minMain={480} />;
}

function ThreadStackPane({ dumpId, thread }: { dumpId: number; thread: ThreadInfo }) {
  const tid = thread.tid;
  const entry = useStacks((s) => (s.dumpId === dumpId ? s.byTid[tid] : undefined));
  const load = useStacks((s) => s.load);
  const selectFrame = useStacks((s) => s.selectFrame);
  const selected = useSelectedFrame(dumpId, tid);
  const tableRef = useRef<HTMLDivElement | null>(null);
  useFocusRequest('frames', tableRef, entry?.status);
  useEffect(() => load(dumpId, tid), [dumpId, tid, load]);
  const frames = useMemo(() => (entry?.status === 'ready' ? (entry.stack?.frames ?? []) : []), [entry]);
  const cur = frames[selected];

  const header = (
    <div className="toolbar stack-toolbar">
      <span className="stack-thread" data-testid="stack-thread">
        <strong>Thread #{thread.index}</strong>
        <span className="mono muted">
          tid {thread.tid} · OSID {thread.osid} · DBG {thread.dbg}
        </span>
        {thread.name ? <Untrusted className="muted" text={thread.name} /> : null}
      </span>
      {thread.wait ? (
        <span className={`stack-wait${thread.wait.isLockWait ? ' tone-lockwait' : ''}`} title={inertLine(thread.wait.summary)}>
          <Untrusted text={thread.wait.summary} />
        </span>
      ) : null}
      <span className="push-right faint small">
        <Kbd>↑</Kbd>
        <Kbd>↓</Kbd> frame
      </span>
    </div>
  );

  let top;
  if (!entry || entry.status === 'loading') top = <div className="loading-line">Unwinding…</div>;
  else if (entry.status === 'error') top = <ErrorMessage title="Could not unwind this thread" error={entry.error} />;
  else if (!entry.stack) top = <EmptyState title="No stack">The dump holds no stack for this thread.</EmptyState>;
  else {
    const stack = entry.stack;
    top = (
      <div className="view-column">
        <DataTable
          label="Frames"
          testId="frames-table"
          tableRef={tableRef}
          rows={stack.frames}
          columns={FRAME_COLUMNS}
          rowKey={frameKey}
          selected={cur ? cur.index : null}
          onSelect={(i) => selectFrame(dumpId, tid, i)}
          sort={null}
          onSort={() => {}}
          sortable={false}
          rowClass={(f) => `how-${f.how}${f.inline ? ' inline' : ''}`}
        />
        <div className={`stack-stop-bar ${stack.stopReason === 'ok' ? 'faint' : 'tone-warning'}`} data-testid="stack-stop">
          {stack.frames.length} frames · {STOP[stack.stopReason]}
          {stack.stopDetail ? (
            <>
              : <Untrusted text={stack.stopDetail} />
            </>
          ) : null}
        </div>
      </div>
    );
  }

  const bottom = (
    <div className="view-column">
      <div className="pane-head">
        Disassembly
        {cur ? <span className="pane-sub mono">frame #{cur.index} · {cur.pc}</span> : null}
        <span className="push-right">
          <DisasmControls />
        </span>
      </div>
      <div className="disasm-pane">{cur ? <FrameDisassembly dumpId={dumpId} tid={tid} before={12} after={12} /> : null}</div>
    </div>
  );

  return (
    <div className="view-column">
      {header}
      <VSplit id="stack" top={top} bottom={bottom} defaultTop={0.42} minTop={120} minBottom={140} />
    </div>
  );
}
