// The wait-for graph as inline SVG markup: threads and resources as boxes, waits and holds as
// arrows, the deadlock cycle in red, unproven edges dashed. Every label is escaped; the SVG has
// no external reference (markers are in-document `url(#…)`), so the report stays self-contained.
import { type LockGraph } from '../../../shared/types';
import { escapeHtml } from './escape';
import { edgeLabelWidth, layoutGraph, type GraphLayout, type LayoutNode } from './graph-layout';

export function graphSvg(g: LockGraph, threads: readonly { tid: number; index: number; name: string | null }[] = []): { svg: string; layout: GraphLayout } {
  const layout = layoutGraph(g, threads);
  if (layout.nodes.length === 0) return { svg: '', layout };
  const out: string[] = [];
  out.push(
    `<svg class="graph" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="Wait-for graph">`,
    '<defs>',
    marker('arrow', 'edge-head'),
    marker('arrow-cycle', 'edge-head cycle'),
    '</defs>',
  );
  for (const e of layout.edges) {
    const cls = ['edge', e.inCycle ? 'cycle' : '', e.proven ? '' : 'unproven'].filter(Boolean).join(' ');
    out.push(`<path class="${cls}" d="${e.d}" marker-end="url(#${e.inCycle ? 'arrow-cycle' : 'arrow'})"><title>${escapeHtml(`${e.from} ${e.label} ${e.to}`)}</title></path>`);
  }
  for (const e of layout.edges) {
    const w = edgeLabelWidth(e.label);
    out.push(
      `<g class="edge-label${e.inCycle ? ' cycle' : ''}"><rect x="${Math.round(e.labelX - w / 2)}" y="${Math.round(e.labelY - 8)}" width="${w}" height="16" rx="3"></rect><text x="${e.labelX}" y="${e.labelY + 3.5}" text-anchor="middle">${escapeHtml(e.label)}</text></g>`,
    );
  }
  for (const n of layout.nodes) out.push(nodeSvg(n));
  out.push('</svg>');
  return { svg: out.join('\n'), layout };
}

function marker(id: string, cls: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="${cls}" d="M 0 0 L 10 5 L 0 10 z"></path></marker>`;
}

function nodeSvg(n: LayoutNode): string {
  const x = Math.round(n.x - n.w / 2);
  const y = Math.round(n.y - n.h / 2);
  const isThread = n.kind === 'thread' || n.kind === 'exited-thread';
  const cls = ['node', isThread ? 'thread' : 'resource', n.kind === 'exited-thread' ? 'exited' : '', n.inCycle ? 'cycle' : ''].filter(Boolean).join(' ');
  return [
    `<g class="${cls}"><title>${escapeHtml(n.full)}</title>`,
    `<rect x="${x}" y="${y}" width="${n.w}" height="${n.h}" rx="${isThread ? 10 : 3}"></rect>`,
    `<text class="t1" x="${Math.round(n.x)}" y="${y + 18}" text-anchor="middle">${escapeHtml(n.lines[0])}</text>`,
    `<text class="t2" x="${Math.round(n.x)}" y="${y + 34}" text-anchor="middle">${escapeHtml(n.lines[1])}</text>`,
    '</g>',
  ].join('');
}
