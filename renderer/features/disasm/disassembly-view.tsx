// The instructions around the selected frame's pc, as lldb shows them on `thread select`:
//   libpthread.so.0`__lll_lock_wait:
//   ->  0x7f28a117129c <+28>: movl   %edx, %eax
// The frame's pc is marked `->`; in a caller's frame the call in progress is marked too. Whether
// the instructions before the pc are exact (decoded from the function's start) or guessed, and
// where the bytes came from, is said above them.
import { Fragment, useEffect, useRef, type Ref } from 'react';
import { type DisassembledInstruction, type Disassembly } from '../../../shared/types';
import { ErrorMessage, Untrusted } from '../../components/ui';
import { inert, inertLine } from '../../lib/inert';
import { baseName } from '../../lib/format';
import { disasmKey, useDisasm, type DisasmRequest } from './disasm-store';

const START_TEXT: Record<Disassembly['start'], string> = {
  function: "decoded from the function's start",
  guessed: 'instructions before the pc guessed (no function start)',
  pc: 'from the pc on (nothing before it could be decoded)',
};

export function DisassemblyView({ req, compact = false }: { req: DisasmRequest; compact?: boolean }) {
  const syntax = useDisasm((s) => s.syntax);
  const showBytes = useDisasm((s) => s.showBytes) && !compact;
  const entry = useDisasm((s) => (s.dumpId === req.dumpId ? s.entries[disasmKey(req, syntax)] : undefined));
  const load = useDisasm((s) => s.load);
  const currentRef = useRef<HTMLDivElement | null>(null);
  const linesRef = useRef<HTMLDivElement | null>(null);
  const { dumpId, pc, returnAddress, before, after } = req;
  useEffect(() => load({ dumpId, pc, returnAddress, before, after }), [load, dumpId, pc, returnAddress, before, after, syntax]);
  // Keep the pc in the middle of the lines' own scroll area (never scroll the page around it).
  useEffect(() => {
    const box = linesRef.current;
    const cur = currentRef.current;
    if (box && cur && box.scrollHeight > box.clientHeight) box.scrollTop = cur.offsetTop - box.offsetTop - box.clientHeight / 2 + cur.offsetHeight / 2;
  }, [entry]);

  if (!entry || entry.status === 'loading') return <div className="disasm-empty">Disassembling…</div>;
  if (entry.status === 'error') return <ErrorMessage title="Could not disassemble" error={entry.error} />;
  const d = entry.value;
  if (d.unavailable) {
    return (
      <div className="disasm-empty" data-testid="disassembly-unavailable">
        <Untrusted text={d.unavailable} />
      </div>
    );
  }
  const head = (
    <>
      {d.module ? (
        <>
          <Untrusted text={baseName(d.module)} />`
        </>
      ) : null}
      {d.function ? <Untrusted text={d.function} /> : d.pc}:
    </>
  );
  return (
    <div className={`disasm${compact ? ' compact' : ''}${showBytes ? ' with-bytes' : ''}`} data-testid="disassembly" role="table" aria-label={`Disassembly around ${inertLine(d.pc)}`}>
      <div className="disasm-head">
        <span className="disasm-fn mono" title={d.functionAddress ? `starts at ${d.functionAddress}` : undefined}>
          {head}
        </span>
        <span className={`disasm-meta${d.start === 'function' ? '' : ' tone-warning'}`} title={inert(d.notes.map(inertLine).join('\n')) || undefined}>
          {START_TEXT[d.start]}
          {compact ? null : d.codeSource === 'file' ? (
            <>
              {' · code from '}
              {d.codeFile ? <Untrusted text={d.codeFile} /> : 'the module file'}
            </>
          ) : d.codeSource === 'dump' ? (
            ' · code from the dump'
          ) : null}
        </span>
      </div>
      <div className="disasm-lines mono" ref={linesRef}>
        {d.instructions.map((i) => (
          <Fragment key={i.address}>
            {i.startsFunction ? (
              <div className="disasm-fn-header" role="row">
                <Untrusted text={`${i.startsFunction}:`} />
              </div>
            ) : null}
            <Line i={i} showBytes={showBytes} lineRef={i.current ? currentRef : undefined} />
          </Fragment>
        ))}
      </div>
      {!compact && d.notes.length > 0 ? (
        <ul className="disasm-notes">
          {d.notes.map((n) => (
            <li key={n}>
              <Untrusted text={n} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Line({ i, showBytes, lineRef }: { i: DisassembledInstruction; showBytes: boolean; lineRef?: Ref<HTMLDivElement> }) {
  const cls = ['disasm-line', i.current ? 'current' : '', i.callSite ? 'call-site' : '', i.invalid ? 'invalid' : ''].join(' ');
  const marker = i.current ? '->' : i.callSite ? '=>' : '';
  return (
    <div
      className={cls}
      ref={lineRef}
      role="row"
      aria-current={i.current ? 'true' : undefined}
      data-address={i.address}
      title={i.current ? "The frame's pc" : i.callSite ? 'The call in progress: this frame returns to the line below' : undefined}
    >
      <span className="dl-marker">{marker}</span>
      <span className="dl-addr">{i.address}</span>
      <span className="dl-off">{i.offset !== null ? `<+${i.offset}>:` : ':'}</span>
      {showBytes ? <span className="dl-bytes">{i.bytes}</span> : null}
      <span className="dl-mnemonic">{inertLine(i.mnemonic)}</span>
      <span className="dl-ops">
        <Untrusted text={i.operands} />
        {i.target?.symbol ? (
          <span className={`dl-target ${i.target.kind}`}>
            {'  ; '}
            <Untrusted text={i.target.symbol} />
          </span>
        ) : null}
      </span>
    </div>
  );
}

/** The syntax toggle and the bytes switch, for a toolbar. */
export function DisasmControls({ bytes = true }: { bytes?: boolean }) {
  const syntax = useDisasm((s) => s.syntax);
  const showBytes = useDisasm((s) => s.showBytes);
  const setSyntax = useDisasm((s) => s.setSyntax);
  const setShowBytes = useDisasm((s) => s.setShowBytes);
  return (
    <span className="disasm-controls">
      <span className="segmented" role="group" aria-label="Assembly syntax">
        <button className={syntax === 'att' ? 'on' : ''} aria-pressed={syntax === 'att'} onClick={() => setSyntax('att')} title="AT&T syntax, as lldb and gdb print">
          AT&amp;T
        </button>
        <button className={syntax === 'intel' ? 'on' : ''} aria-pressed={syntax === 'intel'} onClick={() => setSyntax('intel')} title="Intel syntax">
          Intel
        </button>
      </span>
      {bytes ? (
        <label className="check">
          <input type="checkbox" checked={showBytes} onChange={(e) => setShowBytes(e.target.checked)} /> bytes
        </label>
      ) : null}
    </span>
  );
}
