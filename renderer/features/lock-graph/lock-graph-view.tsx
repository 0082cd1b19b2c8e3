// The wait-for graph drawn with d3: threads and the objects they wait for as nodes, "waits for"
// and "held by" as arrows; the deadlock's cycle in red with the verdict above; edges that are only
// likely dashed. Zoom and pan (wheel, drag, Fit), hover for the evidence, click a thread to select
// it everywhere (double-click opens its stack). Many threads waiting on one object collapse into
// one node ("1000 threads") that a click expands.
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { select as d3select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { type ThreadInfo } from '../../../shared/types';
import { EmptyState, ErrorMessage, Kbd, Untrusted, UntrustedLines } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { plural } from '../../lib/format';
import { useLocks, VerdictBanner } from '../locks';
import { useThreads } from '../threads';
import { useWorkspace } from '../workspace';
import { buildGraphModel, edgeVerb, type GraphModel, type ViewEdge, type ViewNode } from './graph-model';
import { boundsOf, layoutGraph, type Point } from './graph-layout';

type At = { x: number; y: number; w: number; h: number };
type Hover = ({ kind: 'node'; node: ViewNode } & At) | ({ kind: 'edge'; edge: ViewEdge } & At) | null;

export function LockGraphView() {
  const graph = useLocks((s) => s.graph);
  const status = useLocks((s) => s.status);
  const error = useLocks((s) => s.error);
  const threads = useThreads((s) => s.threads);
  const selectedTid = useThreads((s) => s.selectedTid);
  const select = useThreads((s) => s.select);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [hover, setHover] = useState<Hover>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const boxRef = useRef<HTMLDivElement | null>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);

  const model = useMemo(() => (graph ? buildGraphModel(graph, threads, expanded) : null), [graph, threads, expanded]);
  const pos = useMemo(() => (model ? layoutGraph(model) : new Map<string, Point>()), [model]);
  const byId = useMemo(() => new Map((model?.nodes ?? []).map((n) => [n.id, n])), [model]);
  const describe = useCallback(
    (tid: number) => {
      const t = threads.find((x) => x.tid === tid);
      return t ? `#${t.index} tid ${tid}` : `tid ${tid}`;
    },
    [threads],
  );

  const fit = useCallback(() => {
    const svg = svgRef.current;
    const z = zoomRef.current;
    if (!svg || !z || !model) return;
    const b = boundsOf(model, pos);
    const w = svg.clientWidth || 800;
    const h = svg.clientHeight || 500;
    const pad = 48;
    const k = Math.min(1.15, (w - pad * 2) / Math.max(1, b.x1 - b.x0), (h - pad * 2) / Math.max(1, b.y1 - b.y0));
    const t = zoomIdentity.translate(w / 2 - (k * (b.x0 + b.x1)) / 2, h / 2 - (k * (b.y0 + b.y1)) / 2).scale(k);
    d3select(svg).call(z.transform, t);
  }, [model, pos]);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      .on('zoom', (e: { transform: ZoomTransform }) => setTransform(e.transform));
    zoomRef.current = z;
    d3select(svg).call(z).on('dblclick.zoom', null);
    return () => {
      d3select(svg).on('.zoom', null);
    };
  }, [model !== null]);

  useEffect(() => fit(), [fit]);

  if (status === 'empty') return <EmptyState title="No dump open">Open a core dump to see who waits for whom.</EmptyState>;
  if (status === 'error' && error) return <ErrorMessage title="Could not read the wait-for graph" error={error} />;
  if (!graph || !model) return <div className="loading-line">Reading the wait-for graph…</div>;

  const zoomBy = (f: number) => {
    const svg = svgRef.current;
    if (svg && zoomRef.current) d3select(svg).call(zoomRef.current.scaleBy, f);
  };
  const onNodeClick = (n: ViewNode) => {
    if (n.kind === 'group') setExpanded(new Set([...expanded, n.id]));
    else if (n.tid !== null && n.kind === 'thread') select(n.tid);
  };
  const hoverAt = (e: MouseEvent, h: { kind: 'node'; node: ViewNode } | { kind: 'edge'; edge: ViewEdge }) => {
    const r = boxRef.current?.getBoundingClientRect();
    setHover({ ...h, x: e.clientX - (r?.left ?? 0), y: e.clientY - (r?.top ?? 0), w: r?.width ?? 0, h: r?.height ?? 0 });
  };
  const pairs = new Set(model.edges.map((e) => `${e.source}>${e.target}`));
  const labels = model.edges.length <= 60;

  return (
    <div className="view-column lock-graph-view">
      <div className="toolbar">
        <span className="toolbar-note">
          {plural(model.nodes.filter((n) => n.kind === 'thread').length + model.nodes.filter((n) => n.kind === 'group').reduce((a, g) => a + g.members.length, 0), 'thread')} waiting or holding,{' '}
          {plural(model.nodes.filter((n) => n.kind === 'resource').length, 'object')}, {plural(graph.cycles.length, 'cycle')}
          {model.notDrawn > 0 ? <span className="faint"> · {plural(model.notDrawn, 'thread')} not blocked by another thread (not drawn)</span> : null}
        </span>
        <span className="push-right button-row">
          {model.collapsed.length > 0 ? (
            expanded.size > 0 ? (
              <button className="button small" onClick={() => setExpanded(new Set())}>
                Collapse groups
              </button>
            ) : (
              <button className="button small" onClick={() => setExpanded(new Set(model.collapsed))} title="Draw every thread of every group">
                Expand all
              </button>
            )
          ) : null}
          <button className="button small" onClick={() => zoomBy(1.25)} aria-label="Zoom in">
            +
          </button>
          <button className="button small" onClick={() => zoomBy(0.8)} aria-label="Zoom out">
            −
          </button>
          <button className="button small" onClick={fit} title="Fit the graph to the window">
            Fit
          </button>
        </span>
      </div>
      <VerdictBanner describe={describe} onPickThread={(tid) => select(tid)} />
      <div className="graph-box" ref={boxRef} onMouseLeave={() => setHover(null)}>
        {model.nodes.length === 0 ? (
          <EmptyState title="Nothing to draw">No thread waits for something another thread holds.</EmptyState>
        ) : null}
        <svg ref={svgRef} className="graph-svg" data-testid="lock-graph" role="img" aria-label={`Wait-for graph: ${inertLine(graph.verdict.summary)}`}>
          <defs>
            {(['plain', 'cycle', 'likely', 'held'] as const).map((m) => (
              <marker key={m} id={`arrow-${m}`} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth={m === 'cycle' ? 13 : 11} markerHeight={m === 'cycle' ? 13 : 11} orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" className={`arrowhead ${m}`} />
              </marker>
            ))}
          </defs>
          <g transform={transform.toString()}>
            {model.edges.map((e) => {
              const a = byId.get(e.source);
              const b = byId.get(e.target);
              const pa = pos.get(e.source);
              const pb = pos.get(e.target);
              if (!a || !b || !pa || !pb) return null;
              const geo = edgeGeometry(a, pa, b, pb, pairs.has(`${e.target}>${e.source}`));
              const cls = `ge ${e.kind}${e.inCycle ? ' cycle' : ''}${e.proven ? '' : ' likely'}`;
              const marker = e.inCycle ? 'cycle' : !e.proven ? 'likely' : e.kind === 'held-by' ? 'held' : 'plain';
              return (
                <g key={e.id} className={cls} data-testid="graph-edge" data-kind={e.kind} data-cycle={e.inCycle ? 'true' : undefined} data-proven={e.proven ? 'true' : 'false'}>
                  <path d={geo.d} className="ge-hit" onMouseMove={(ev) => hoverAt(ev, { kind: 'edge', edge: e })} />
                  <path d={geo.d} className="ge-line" markerEnd={`url(#arrow-${marker})`} />
                  {labels ? (
                    <text x={geo.mid.x} y={geo.mid.y} className="ge-label" textAnchor="middle" dy="-4">
                      {e.count > 1 ? `${edgeVerb(e.kind)} (${e.count})` : edgeVerb(e.kind)}
                    </text>
                  ) : null}
                </g>
              );
            })}
            {model.nodes.map((n) => {
              const p = pos.get(n.id);
              if (!p) return null;
              const sel = n.tid !== null && n.tid === selectedTid && n.kind === 'thread';
              return (
                <g
                  key={n.id}
                  className={`gn ${n.kind}${n.inCycle ? ' cycle' : ''}${sel ? ' selected' : ''}${n.resourceKind ? ` rk-${n.resourceKind}` : ''}`}
                  transform={`translate(${p.x},${p.y})`}
                  data-testid="graph-node"
                  data-node-id={n.id}
                  data-tid={n.tid ?? undefined}
                  onMouseMove={(ev) => hoverAt(ev, { kind: 'node', node: n })}
                  onClick={() => onNodeClick(n)}
                  onDoubleClick={() => {
                    if (n.kind === 'thread' && n.tid !== null) {
                      select(n.tid);
                      useWorkspace.getState().show('stack');
                    }
                  }}
                >
                  {n.kind === 'group' ? <rect className="gn-shadow" x={-n.width / 2 + 5} y={-n.height / 2 - 5} width={n.width} height={n.height} rx={6} /> : null}
                  <rect className="gn-box" x={-n.width / 2} y={-n.height / 2} width={n.width} height={n.height} rx={n.kind === 'resource' ? n.height / 2 : 6} />
                  {n.kind === 'resource' ? (
                    <text className="gn-kind" x={0} y={-n.height / 2 - 4} textAnchor="middle">
                      {n.resourceKind}
                    </text>
                  ) : null}
                  <text className="gn-label" x={0} y={n.sublabel ? -3 : 4} textAnchor="middle">
                    {n.label}
                  </text>
                  {n.sublabel ? (
                    <text className="gn-sub" x={0} y={13} textAnchor="middle">
                      {n.sublabel}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </g>
        </svg>
        <Legend />
        {hover ? <Tooltip hover={hover} threads={threads} byId={byId} model={model} /> : null}
      </div>
    </div>
  );
}

function Legend() {
  return (
    <div className="graph-legend" aria-hidden="true">
      <span>
        <svg width="34" height="10">
          <line x1="2" y1="5" x2="32" y2="5" className="lg plain" />
        </svg>
        waits for / held by (proven)
      </span>
      <span>
        <svg width="34" height="10">
          <line x1="2" y1="5" x2="32" y2="5" className="lg likely" />
        </svg>
        likely, not proven
      </span>
      <span>
        <svg width="34" height="10">
          <line x1="2" y1="5" x2="32" y2="5" className="lg cycle" />
        </svg>
        deadlock cycle
      </span>
      <span className="faint">
        click a thread to select it · double-click for its stack · <Kbd>wheel</Kbd> zoom · drag to pan
      </span>
    </div>
  );
}

function Tooltip({ hover, threads, byId, model }: { hover: NonNullable<Hover>; threads: readonly ThreadInfo[]; byId: Map<string, ViewNode>; model: GraphModel }) {
  // Beside the pointer, on the side with room.
  const style = {
    ...(hover.x > hover.w - 500 ? { right: hover.w - hover.x + 14 } : { left: hover.x + 14 }),
    ...(hover.y > hover.h - 220 ? { bottom: hover.h - hover.y + 12 } : { top: hover.y + 12 }),
  };
  if (hover.kind === 'edge') {
    const e = hover.edge;
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    return (
      <div className="graph-tip" style={style} role="tooltip" data-testid="graph-tip">
        <div className="tip-title">
          <Untrusted text={a?.fullLabel} /> <span className="muted">{edgeVerb(e.kind)}</span> <Untrusted text={b?.fullLabel} />
        </div>
        <div className="tip-line">
          {e.inCycle ? <span className="badge danger">deadlock cycle</span> : null}
          {e.proven ? <span className="badge ok">proven</span> : <span className="badge warning">likely, not proven</span>}
          {e.count > 1 ? <span className="badge neutral">{e.count} threads</span> : null}
        </div>
        {e.evidence.length > 0 ? (
          <ul className="evidence">
            {e.evidence.map((ev, i) => (
              <li key={i}>
                <span className="evidence-kind">{ev.kind}</span>
                <span className="mono">
                  <UntrustedLines text={ev.text} />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <div className="faint">No evidence recorded for this edge.</div>
        )}
      </div>
    );
  }
  const n = hover.node;
  const t = n.tid !== null ? threads.find((x) => x.tid === n.tid) : undefined;
  const waiters = model.edges.filter((e) => e.target === n.id && e.kind === 'waits').reduce((a, e) => a + e.count, 0);
  const holder = model.edges.find((e) => e.source === n.id && (e.kind === 'held-by' || e.kind === 'likely-held-by'));
  return (
    <div className="graph-tip" style={style} role="tooltip" data-testid="graph-tip">
      {n.kind === 'thread' && t ? (
        <>
          <div className="tip-title">
            Thread #{t.index} <span className="mono muted">tid {t.tid} · OSID {t.osid} · DBG {t.dbg}</span>
          </div>
          {t.name ? (
            <div className="tip-line">
              <Untrusted text={t.name} />
            </div>
          ) : null}
          {t.wait ? (
            <div className={`tip-line${n.inCycle ? ' tone-danger' : ''}`}>
              <Untrusted text={t.wait.summary} />
            </div>
          ) : null}
          {t.topFrame ? (
            <div className="tip-line mono">
              <Untrusted text={t.topFrame} />
            </div>
          ) : null}
          <div className="tip-hint">click to select · double-click for its stack</div>
        </>
      ) : n.kind === 'group' ? (
        <>
          <div className="tip-title">{n.label}</div>
          <div className="tip-line">
            <Untrusted text={n.sublabel} />
          </div>
          <div className="tip-line mono muted">
            {n.members
              .slice(0, 12)
              .map((tid) => `#${threads.find((x) => x.tid === tid)?.index ?? '?'}`)
              .join(' ')}
            {n.members.length > 12 ? ' …' : ''}
          </div>
          <div className="tip-hint">click to draw each thread</div>
        </>
      ) : (
        <>
          <div className="tip-title">
            <Untrusted text={n.fullLabel} />
          </div>
          {n.sublabel ? (
            <div className="tip-line mono">
              <Untrusted text={n.sublabel} />
            </div>
          ) : null}
          <div className="tip-line">
            {n.kind === 'resource' ? `${plural(waiters, 'thread')} waiting` : 'not among the dump\u2019s threads'}
            {holder ? (
              <>
                {` · ${edgeVerb(holder.kind)} `}
                <Untrusted text={byId.get(holder.target)?.fullLabel ?? '?'} />
              </>
            ) : n.kind === 'resource' ? (
              ' · no holder known'
            ) : (
              ''
            )}
          </div>
        </>
      )}
    </div>
  );
}

/** A straight (or, for a pair of opposite edges, curved) path from box edge to box edge. */
function edgeGeometry(a: ViewNode, pa: Point, b: ViewNode, pb: Point, curved: boolean): { d: string; mid: Point } {
  const dx = pb.x - pa.x;
  const dy = pb.y - pa.y;
  const len = Math.hypot(dx, dy) || 1;
  const bend = curved ? 28 : 0;
  const nx = -dy / len;
  const ny = dx / len;
  const c = { x: (pa.x + pb.x) / 2 + nx * bend, y: (pa.y + pb.y) / 2 + ny * bend };
  const start = boxExit(pa, a, c);
  const end = boxExit(pb, b, c, 3);
  if (!curved) return { d: `M${start.x},${start.y}L${end.x},${end.y}`, mid: { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 } };
  return { d: `M${start.x},${start.y}Q${c.x},${c.y} ${end.x},${end.y}`, mid: { x: (start.x + 2 * c.x + end.x) / 4, y: (start.y + 2 * c.y + end.y) / 4 } };
}

/** Where the segment from a box's center towards `to` leaves the box (plus `pad`). */
function boxExit(p: Point, n: ViewNode, to: Point, pad = 1): Point {
  const dx = to.x - p.x;
  const dy = to.y - p.y;
  const hw = n.width / 2 + pad;
  const hh = n.height / 2 + pad;
  const t = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return Number.isFinite(t) && t < 1 ? { x: p.x + dx * t, y: p.y + dy * t } : p;
}
