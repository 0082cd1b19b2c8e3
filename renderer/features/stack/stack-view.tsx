// One thread's stack in the details pane: every frame with how it was found (a scanned frame
// never looks as trusted as a CFI one), module`function + offset, source line, inline frames
// indented, and why the walk stopped. A frame is selected by click or ↑/↓; the disassembly
// (FrameDisassembly) follows it.
import { useEffect, type KeyboardEvent } from 'react';
import { type StackFrame } from '../../../shared/types';
import { ErrorMessage, Untrusted } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { isReturnAddress } from '../../lib/frames';
import { DisassemblyView } from '../disasm';
import { HOW, STOP } from './frame-how';
import { FrameName } from './frame-name';
import { useSelectedFrame, useStacks } from './stack-store';

export function StackView({ dumpId, tid }: { dumpId: number; tid: number }) {
  const entry = useStacks((s) => (s.dumpId === dumpId ? s.byTid[tid] : undefined));
  const load = useStacks((s) => s.load);
  const selectFrame = useStacks((s) => s.selectFrame);
  const selected = useSelectedFrame(dumpId, tid);
  useEffect(() => load(dumpId, tid), [dumpId, tid, load]);

  if (!entry || entry.status === 'loading') return <p className="slot-text">Unwinding…</p>;
  if (entry.status === 'error') return <ErrorMessage title="Could not unwind this thread" error={entry.error} />;
  const stack = entry.stack;
  if (!stack) return <p className="slot-text">The dump holds no stack for this thread.</p>;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const d = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (!d || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    selectFrame(dumpId, tid, Math.max(0, Math.min(stack.frames.length - 1, selected + d)));
  };
  return (
    <div className="stack" data-testid="stack" tabIndex={0} role="listbox" aria-label="Stack frames" onKeyDown={onKeyDown}>
      {stack.frames.map((f, i) => (
        <Frame key={`${f.index}-${f.inline ? 'i' : ''}-${f.pc}`} f={f} selected={i === selected} onPick={() => selectFrame(dumpId, tid, i)} />
      ))}
      <div className={`stack-stop ${stack.stopReason === 'ok' ? 'faint' : 'tone-warning'}`} data-testid="stack-stop">
        {STOP[stack.stopReason]}
        {stack.stopDetail ? (
          <>
            : <Untrusted text={stack.stopDetail} />
          </>
        ) : null}
      </div>
    </div>
  );
}

function Frame({ f, selected, onPick }: { f: StackFrame; selected: boolean; onPick(): void }) {
  const how = HOW[f.how];
  const fn = f.function ?? f.rawFunction;
  return (
    <div className={`frame how-${f.how}${f.inline ? ' inline' : ''}${selected ? ' selected' : ''}`} role="option" aria-selected={selected} onMouseDown={onPick}>
      <span className="frame-index mono">#{f.index}</span>
      <span className={`badge ${how.tone}`} title={how.title}>
        {how.label}
      </span>
      <span className="frame-pc mono" title={`pc ${f.pc}, sp ${f.sp}${f.cfa ? `, cfa ${f.cfa}` : ''}`}>
        {f.pc}
      </span>
      <span className="frame-body">
        <span className="frame-fn mono" title={inertLine((f.rawFunction && f.rawFunction !== fn ? f.rawFunction : fn) ?? '') || undefined}>
          {f.inline ? (
            <span className="frame-inline-mark" title="Inlined into the frame below: it shares that frame's pc">
              ↳{' '}
            </span>
          ) : null}
          <FrameName f={f} />
        </span>
        {f.file ? (
          <span className="frame-src mono" title={inertLine(`${f.file}${f.line !== null ? `:${f.line}` : ''}`)}>
            at <Untrusted text={f.file} />
            {f.line !== null ? `:${f.line}` : ''}
          </span>
        ) : null}
      </span>
    </div>
  );
}

/** The disassembly around the selected frame's pc (none for managed frames). */
export function FrameDisassembly({ dumpId, tid, compact = false, before = 8, after = 8 }: { dumpId: number; tid: number; compact?: boolean; before?: number; after?: number }) {
  const entry = useStacks((s) => (s.dumpId === dumpId ? s.byTid[tid] : undefined));
  const selected = useSelectedFrame(dumpId, tid);
  if (!entry || entry.status !== 'ready' || !entry.stack) return null;
  const frames = entry.stack.frames;
  const f = frames[Math.min(selected, frames.length - 1)];
  if (!f) return null;
  if (f.how === 'managed') return <p className="slot-text">A managed frame: its code is JIT-compiled, not in a module file.</p>;
  return <DisassemblyView compact={compact} req={{ dumpId, pc: f.pc, returnAddress: isReturnAddress(frames, frames.indexOf(f)), before, after }} />;
}
