// The top bar's Export button: a report of the current dump (and its comparison, when one is
// shown) as self-contained HTML, GitHub Markdown or JSON.
import { useEffect, useRef, useState } from 'react';
import { type ReportFormat } from '../../../shared/types';
import { Untrusted } from '../../components/ui';
import { useCompare } from '../compare';
import { useDumps } from '../dumps';
import { useReport } from './report-store';

const FORMATS: { id: ReportFormat; label: string; hint: string }[] = [
  { id: 'html', label: 'HTML', hint: 'one self-contained page: verdict, graph, stacks' },
  { id: 'md', label: 'Markdown', hint: 'for a GitHub issue or a pull request' },
  { id: 'json', label: 'JSON', hint: 'versioned, for scripts' },
];

export function ExportMenu() {
  const current = useDumps((s) => s.current);
  const busy = useReport((s) => s.busy);
  const run = useReport((s) => s.export);
  const cmp = useCompare((s) => (s.status === 'ready' && s.forDumpId === current?.id ? s.comparison : null));
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement | null>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);
  if (!current) return null;
  return (
    <span className="menu-anchor" ref={box}>
      <button className="button small" aria-haspopup="menu" aria-expanded={open} disabled={busy} onClick={() => setOpen(!open)} title="Export a report of this dump">
        {busy ? 'Exporting…' : 'Export ▾'}
      </button>
      {open ? (
        <div className="menu" role="menu" aria-label="Export a report">
          {FORMATS.map((f) => (
            <button
              key={f.id}
              role="menuitem"
              className="menu-item"
              onClick={() => {
                setOpen(false);
                void run(f.id);
              }}
            >
              <span className="menu-label">{f.label}</span>
              <span className="menu-hint">{f.hint}</span>
            </button>
          ))}
          {cmp ? <div className="menu-note">includes the comparison with {cmp.dumpA.process === cmp.dumpB.process ? 'the other dump' : <Untrusted text={cmp.dumpB.process} />}</div> : null}
        </div>
      ) : null}
    </span>
  );
}
