// Threads grouped by identical stacks (pstacks): the largest group first, its count, the frame it
// waits in and the path to it; expand a group (→ or click) for the whole stack and its threads.
// ↑/↓ move between groups and select each group's first thread, so the details pane follows.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ThreadInfo } from '../../../shared/types';
import { EmptyState, ErrorMessage, Untrusted } from '../../components/ui';
import { inert } from '../../lib/inert';
import { frameTitle } from '../../lib/frames';
import { plural } from '../../lib/format';
import { useThreads } from '../threads';
import { groupStacks, type StackGroup } from './stack-groups';
import { useStacks } from './stack-store';

const MAX_CHIPS = 240;

export function StackGroupsView({ threads }: { threads: readonly ThreadInfo[] }) {
  const dumpId = useThreads((s) => s.dumpId);
  const selectedTid = useThreads((s) => s.selectedTid);
  const select = useThreads((s) => s.select);
  const all = useStacks((s) => (s.dumpId === dumpId ? s.all : null));
  const byTid = useStacks((s) => s.byTid);
  const loadAll = useStacks((s) => s.loadAll);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const scrollRef = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    if (dumpId !== null) loadAll(dumpId);
  }, [dumpId, loadAll]);

  const ready = all?.status === 'ready';
  const groups = useMemo(() => (ready ? groupStacks(threads, (tid) => { const e = byTid[tid]; return e && e.status === 'ready' ? e.stack : null; }) : []), [ready, threads, byTid]);
  const cursor = groups.findIndex((g) => g.threads.some((t) => t.tid === selectedTid));

  const virtualizer = useVirtualizer({
    count: groups.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 58,
    overscan: 6,
  });
  useEffect(() => {
    if (cursor >= 0) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, virtualizer]);

  if (!all || all.status === 'idle' || all.status === 'loading') return <div className="loading-line">Reading every thread&apos;s stack…</div>;
  if (all.status === 'error' && all.error) return <ErrorMessage title="Could not read the stacks" error={all.error} />;
  if (groups.length === 0) return <EmptyState title="No thread matches the filter" />;

  const toggle = (key: string, open?: boolean) => {
    const next = new Set(expanded);
    if (open ?? !next.has(key)) next.add(key);
    else next.delete(key);
    setExpanded(next);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const g = groups[cursor];
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = groups[Math.max(0, Math.min(groups.length - 1, (cursor < 0 ? -1 : cursor) + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) select(next.threads[0].tid);
    } else if (g && (e.key === 'ArrowRight' || e.key === 'Enter')) {
      e.preventDefault();
      toggle(g.key, e.key === 'Enter' ? undefined : true);
    } else if (g && e.key === 'ArrowLeft') {
      e.preventDefault();
      toggle(g.key, false);
    }
  };

  return (
    <div className="stack-groups" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} role="tree" aria-label="Threads grouped by stack" data-testid="stack-groups">
      <div className="sg-summary">
        {plural(threads.length, 'thread')} in {plural(groups.length, 'distinct stack')}
        <span className="faint"> · ↑↓ move · → expand · ← collapse</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const g = groups[v.index];
          return (
            <div key={g.key} ref={virtualizer.measureElement} data-index={v.index} style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${v.start}px)` }}>
              <Group g={g} open={expanded.has(g.key)} current={v.index === cursor} selectedTid={selectedTid} onToggle={() => toggle(g.key)} onPick={select} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

function Group({ g, open, current, selectedTid, onToggle, onPick }: { g: StackGroup; open: boolean; current: boolean; selectedTid: number | null; onToggle(): void; onPick(tid: number): void }) {
  const inner = g.frames.filter((f) => !f.inline);
  const top = g.threads[0].topFrame;
  const path = inner.slice(0, 6).map((f) => f.function ?? f.pc);
  return (
    <div className={`sg${current ? ' current' : ''}`} role="treeitem" aria-expanded={open} aria-selected={current} data-testid="stack-group">
      <div className="sg-head" onMouseDown={() => onPick(g.threads[0].tid)} onDoubleClick={onToggle}>
        <button className="sg-twist" aria-label={open ? 'Collapse' : 'Expand'} onMouseDown={(e) => e.stopPropagation()} onClick={onToggle}>
          {open ? '▾' : '▸'}
        </button>
        <span className="sg-count" title={`${plural(g.threads.length, 'thread')} with this stack`}>
          {g.threads.length}
        </span>
        <span className="sg-title mono">{top ? <Untrusted text={top} /> : inner[0] ? <Untrusted text={frameTitle(inner[0])} /> : 'no stack'}</span>
        {g.stopReason && g.stopReason !== 'ok' ? <span className="badge warning">walk stopped: {g.stopReason}</span> : null}
        <span className="sg-path mono faint" title={inert(inner.map((f) => frameTitle(f).replace(/\n/g, ' ')).join('\n'))}>
          {path.map((p, i) => (
            <span key={i}>
              {i > 0 ? ' ← ' : ''}
              <Untrusted text={p} />
            </span>
          ))}
          {inner.length > path.length ? ` ← … (${inner.length} frames)` : ''}
        </span>
      </div>
      <div className="sg-threads">
        {g.threads.slice(0, open ? MAX_CHIPS : 12).map((t) => (
          <button key={t.tid} className={`thread-chip${t.tid === selectedTid ? ' on' : ''}`} onClick={() => onPick(t.tid)} title={`tid ${t.tid}, OSID ${t.osid}, DBG ${t.dbg}`}>
            #{t.index} {t.tid}
          </button>
        ))}
        {g.threads.length > (open ? MAX_CHIPS : 12) ? <span className="faint small"> and {g.threads.length - (open ? MAX_CHIPS : 12)} more</span> : null}
      </div>
      {open ? (
        <ol className="sg-frames mono" start={0}>
          {g.frames.map((f, i) => (
            <li key={i} className={`how-${f.how}${f.inline ? ' inline' : ''}`}>
              <span className="sg-fidx faint">#{f.index}</span> {f.inline ? '↳ ' : ''}
              <Untrusted text={frameTitle(f)} />
              {f.file ? (
                <span className="frame-src-inline">
                  {' '}
                  at <Untrusted text={f.file} />
                  {f.line !== null ? `:${f.line}` : ''}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
