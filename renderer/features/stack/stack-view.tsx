// One thread's stack: every frame with how it was found (a scanned frame never looks as trusted
// as a CFI one), module`function + offset, source line, and why the walk stopped.
import { useEffect } from 'react';
import { type FrameHow, type StackFrame, type StopReason } from '../../../shared/types';
import { ErrorMessage } from '../../components/ui';
import { baseName } from '../../lib/format';
import { useStacks } from './stack-store';

const HOW: Record<FrameHow, { label: string; tone: string; title: string }> = {
  context: { label: 'regs', tone: 'ok', title: "From the thread's registers: exact" },
  cfi: { label: 'cfi', tone: 'ok', title: 'Unwound with DWARF call-frame information: trusted' },
  fp: { label: 'fp', tone: 'neutral', title: 'Found through the frame-pointer chain: usually right' },
  scan: { label: 'scan', tone: 'warning', title: 'Found by scanning the stack for return addresses: a guess' },
  managed: { label: '.net', tone: 'accent', title: 'A managed frame, from a runtime transcript' },
};

const STOP: Record<StopReason, string> = {
  ok: 'the walk reached the outermost frame',
  missingMemory: 'the walk stopped: stack memory missing from the dump',
  noCfi: 'the walk stopped: no unwind information for the next frame',
  loop: 'the walk stopped: the stack loops',
  depthLimit: 'the walk stopped at the depth limit',
};

export function StackView({ dumpId, tid }: { dumpId: number; tid: number }) {
  const entry = useStacks((s) => (s.dumpId === dumpId ? s.byTid[tid] : undefined));
  const load = useStacks((s) => s.load);
  useEffect(() => load(dumpId, tid), [dumpId, tid, load]);

  if (!entry || entry.status === 'loading') return <p className="slot-text">Unwinding…</p>;
  if (entry.status === 'error') return <ErrorMessage title="Could not unwind this thread" error={entry.error} />;
  const stack = entry.stack;
  if (!stack) return <p className="slot-text">The dump holds no stack for this thread.</p>;
  return (
    <div className="stack" data-testid="stack">
      {stack.frames.map((f) => (
        <Frame key={`${f.index}-${f.inline ? 'i' : ''}-${f.pc}`} f={f} />
      ))}
      <div className={`stack-stop ${stack.stopReason === 'ok' ? 'faint' : 'tone-warning'}`}>
        {STOP[stack.stopReason]}
        {stack.stopDetail ? `: ${stack.stopDetail}` : ''}
      </div>
    </div>
  );
}

function Frame({ f }: { f: StackFrame }) {
  const how = HOW[f.how];
  const fn = f.function ?? f.rawFunction;
  return (
    <div className={`frame how-${f.how}`}>
      <span className="frame-index mono">#{f.index}</span>
      <span className={`badge ${how.tone}`} title={how.title}>
        {how.label}
      </span>
      <span className="frame-pc mono" title={`pc ${f.pc}, sp ${f.sp}${f.cfa ? `, cfa ${f.cfa}` : ''}`}>
        {f.pc}
      </span>
      <span className="frame-body">
        <span className="frame-fn mono" title={f.rawFunction && f.rawFunction !== fn ? f.rawFunction : (fn ?? undefined)}>
          {f.module ? <span className="frame-module">{baseName(f.module)}`</span> : null}
          {fn ? <span className="frame-name">{fn}</span> : <span className="faint">??</span>}
          {f.offset !== null && fn ? <span className="faint"> + {f.offset}</span> : null}
          {f.inline ? <span className="badge neutral">inline</span> : null}
          {f.signalFrame ? <span className="badge danger">signal</span> : null}
          {f.managedFrameKind ? <span className="badge accent">{f.managedFrameKind}</span> : null}
        </span>
        {f.file ? (
          <span className="frame-src mono" title={`${f.file}${f.line !== null ? `:${f.line}` : ''}`}>
            at {f.file}
            {f.line !== null ? `:${f.line}` : ''}
          </span>
        ) : null}
      </span>
    </div>
  );
}
