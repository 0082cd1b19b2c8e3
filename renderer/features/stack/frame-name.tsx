// A frame as lldb names it — module`function + offset — with its badges (inline, signal, a
// runtime frame's kind). The Stack tab's table and the details pane's frame list both show it.
import { type StackFrame } from '../../../shared/types';
import { Untrusted } from '../../components/ui';
import { baseName } from '../../lib/format';

export function FrameName({ f }: { f: StackFrame }) {
  const fn = f.function ?? f.rawFunction;
  return (
    <>
      {f.module ? (
        <span className="frame-module">
          <Untrusted text={baseName(f.module)} />`
        </span>
      ) : null}
      {fn ? <Untrusted className="frame-name" text={fn} /> : <span className="faint">??</span>}
      {f.offset !== null && fn ? <span className="faint"> + {f.offset}</span> : null}
      {f.inline ? <span className="badge neutral">inline</span> : null}
      {f.signalFrame ? <span className="badge danger">signal</span> : null}
      {f.managedFrameKind ? (
        <span className="badge accent">
          <Untrusted text={f.managedFrameKind} />
        </span>
      ) : null}
    </>
  );
}
