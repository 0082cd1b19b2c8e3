// The selected thread, in detail: every identity (copyable), what it waits on and who holds it,
// its stack (getStacks), the system call, its registers. The transcript slot waits for the
// transcript API: it says what is missing; it never invents it.
import { type ReactNode } from 'react';
import { type ThreadInfo } from '../../../shared/types';
import { Copyable, EmptyState, Untrusted } from '../../components/ui';
import { padHex } from '../../lib/format';
import { WaitSection } from '../locks';
import { DisasmControls } from '../disasm';
import { FrameDisassembly, StackView } from '../stack';
import { useSelectedThread, useThreads } from '../threads';
import { groupRegisters, SYSCALL_ARG_REGISTERS } from './register-order';

export function ThreadDetails() {
  const t = useSelectedThread();
  const dumpId = useThreads((s) => s.dumpId);
  const threads = useThreads((s) => s.threads);
  const select = useThreads((s) => s.select);
  const describe = (tid: number) => {
    const x = threads.find((y) => y.tid === tid);
    return x ? `#${x.index} (tid ${tid})` : `tid ${tid} (not in the dump)`;
  };
  if (!t) return <EmptyState title="No thread selected">Pick a thread in the table (↑/↓), or go to one with Ctrl+G.</EmptyState>;
  return (
    <div className="details" data-testid="thread-details" aria-label={`Thread #${t.index} details`}>
      <div className="details-title">
        <span className="details-heading">Thread #{t.index}</span>
        <span className="muted">tid {t.tid}</span>
        {t.name ? (
          <span className="muted">
            · <Untrusted text={t.name} />
          </span>
        ) : null}
        {t.signalName ? <span className="badge danger">{t.signalName}</span> : null}
      </div>
      <Section title="Identities" hint="Click a value to copy it">
        <dl className="kv identities">
          <Identity label="Index" what="lldb thread #N (1-based)" value={`#${t.index}`} />
          <Identity label="DBG" what="dotnet-dump setthread N (0-based)" value={String(t.dbg)} />
          <Identity label="TID" what="decimal: lldb tid =, gdb LWP" value={String(t.tid)} />
          <Identity label="OSID" what="hex: SOS clrthreads" value={t.osid} copy={t.osid} />
          <Identity label="0xOSID" what="clrstack header" value={`0x${t.osid}`} />
        </dl>
      </Section>
      <Section title="Waits on" hint="From the wait-for analysis">
        <WaitSection thread={t} onPickThread={select} describe={describe} />
      </Section>
      <Section title="Stack" hint={t.frameCount ? `${t.frameCount} frames · click or ↑↓ to pick one` : undefined}>
        {dumpId !== null ? <StackView dumpId={dumpId} tid={t.tid} /> : null}
      </Section>
      <Section title="Disassembly" hint="around the selected frame's pc" tools={<DisasmControls bytes={false} />}>
        {dumpId !== null ? <FrameDisassembly dumpId={dumpId} tid={t.tid} compact before={5} after={5} /> : null}
      </Section>
      <Section title="System call">
        <StateBlock t={t} />
      </Section>
      <Section title="Registers" hint="From NT_PRSTATUS, as the thread stopped">
        <Registers regs={t.registers} />
      </Section>
      <Slot title="Transcript" api="transcripts">
        Lines of attached debugger transcripts (lldb, dotnet-dump, gdb) that mention this thread appear here once transcripts can be imported.
      </Slot>
    </div>
  );
}

function Section({ title, hint, tools, children }: { title: string; hint?: string; tools?: ReactNode; children: ReactNode }) {
  return (
    <section className="details-section">
      <h3 className="section-title">
        {title}
        {hint ? <span className="section-hint">{hint}</span> : null}
        {tools ? <span className="section-tools">{tools}</span> : null}
      </h3>
      {children}
    </section>
  );
}

/** A clearly named place a later API method fills. */
function Slot({ title, api, children }: { title: string; api: string; children: ReactNode }) {
  return (
    <section className="details-section slot" data-slot={title.toLowerCase()}>
      <h3 className="section-title">
        {title}
        <span className="badge neutral mono" title="The API method that will feed this section">
          {api}: not in this build
        </span>
      </h3>
      <p className="slot-text">{children}</p>
    </section>
  );
}

function Identity({ label, what, value, copy }: { label: string; what: string; value: string; copy?: string }) {
  return (
    <>
      <dt title={what}>{label}</dt>
      <dd>
        <Copyable value={copy ?? value} className="mono">
          {value}
        </Copyable>
        <span className="faint small">{what}</span>
      </dd>
    </>
  );
}

function StateBlock({ t }: { t: ThreadInfo }) {
  if (t.state !== 'syscall' || !t.syscall) {
    return (
      <dl className="kv">
        <dt>State</dt>
        <dd>
          running: not inside a system call{t.registers.orig_rax ? <span className="faint mono"> (orig_rax = {t.registers.orig_rax})</span> : null}
        </dd>
        <dt>Signal</dt>
        <dd>{t.signalName ? `${t.signalName} (${t.signal})` : 'none'}</dd>
      </dl>
    );
  }
  const sc = t.syscall;
  return (
    <dl className="kv">
      <dt>State</dt>
      <dd>
        in system call <span className="mono strong">
          <Untrusted text={sc.name} />
        </span> <span className="faint">(nr {sc.nr})</span>
      </dd>
      <dt>Call</dt>
      <dd className="mono wrap" data-testid="syscall-text">
        <Untrusted text={sc.text} />
      </dd>
      <dt>Arguments</dt>
      <dd>
        <div className="args mono">
          {sc.args.map((a, i) => (
            <span key={i} className="arg">
              <span className="arg-name">{SYSCALL_ARG_REGISTERS[i] ?? `arg${i}`}</span>
              <Copyable value={a}>{a}</Copyable>
            </span>
          ))}
        </div>
      </dd>
      <dt>Signal</dt>
      <dd>{t.signalName ? `${t.signalName} (${t.signal})` : 'none'}</dd>
    </dl>
  );
}

function Registers({ regs }: { regs: Record<string, string> }) {
  const groups = groupRegisters(regs);
  if (groups.length === 0) return <p className="faint">The dump holds no registers for this thread.</p>;
  return (
    <div className="registers mono">
      {groups.map((g) => (
        <div key={g.title} className="reg-group">
          <div className="reg-group-title">{g.title}</div>
          <div className="reg-grid">
            {g.entries.map(([name, value]) => (
              <div key={name} className="reg" title={`${name} = ${value}`}>
                <span className="reg-name">{name}</span>
                <span className="reg-value">{padHex(value)}</span>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
