// The HTML report: one self-contained file for a browser or a printer. No script, no external
// request of any kind (a Content-Security-Policy of default-src 'none' says so to the browser
// too), system fonts, inline CSS, the graph as inline SVG. Dump text goes through escapeHtml.
import { type DumpComparison, type ModuleSymbolStatus, type ThreadComparison } from '../../../shared/types';
import { escapeHtml as h, escapeHtmlLines } from './escape';
import { graphSvg } from './graph-svg';
import { buildReportModel, type ReportInput, type ReportModel, type StackView, type ThreadRow } from './report-model';
import { divergenceText, HOW_TEXT, signalText, STATUS_TEXT, utc } from './report-text';

const CSS = String.raw`
:root { --ink: #1b1f24; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --red: #b42318; --red-soft: #fef3f2;
  --amber: #b54708; --amber-soft: #fffaeb; --green: #067647; --green-soft: #ecfdf3; --blue: #175cd3; --blue-soft: #eff8ff;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html { background: #eef1f4; }
body { margin: 0 auto; max-width: 1120px; padding: 28px 36px 40px; background: #fff; color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 24px; line-height: 1.25; margin: 4px 0 14px; }
h2 { font-size: 17px; margin: 30px 0 10px; padding-bottom: 5px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 0; }
code, .mono { font-family: var(--mono); font-size: 12.5px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 11.5px; color: var(--muted); font-weight: 600; }
.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 3px 14px; margin: 0; font-size: 13px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.verdict { margin: 22px 0 8px; padding: 16px 20px; border-radius: 8px; border: 1px solid var(--line); border-left: 6px solid var(--muted); background: var(--soft); }
.verdict.deadlock { border-color: #fda29b; border-left-color: var(--red); background: var(--red-soft); }
.verdict.blocked { border-color: #fedf89; border-left-color: var(--amber); background: var(--amber-soft); }
.verdict.ok { border-color: #abefc6; border-left-color: var(--green); background: var(--green-soft); }
.verdict .summary { font-size: 16px; font-weight: 600; margin: 6px 0 8px; overflow-wrap: anywhere; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; }
.verdict .second { margin-top: 12px; padding-top: 10px; border-top: 1px dashed #d0a09a; }
.badge { display: inline-block; white-space: nowrap; font-size: 11px; font-weight: 700; letter-spacing: .05em; text-transform: uppercase; padding: 2px 8px; border-radius: 999px; background: var(--muted); color: #fff; vertical-align: 1px; }
.badge.deadlock, .badge.stuck { background: var(--red); }
.badge.blocked { background: var(--amber); }
.badge.ok, .badge.progressed { background: var(--green); }
.badge.new { background: var(--blue); }
.badge.exited { background: #98a2b3; }
.badge.how { background: #eaecf0; color: var(--muted); font-weight: 600; text-transform: none; letter-spacing: 0; }
ol.chain { margin: 0; padding-left: 24px; }
ol.chain > li { margin: 0 0 10px; padding: 8px 12px; border: 1px solid var(--line); border-radius: 6px; break-inside: avoid; }
ol.chain > li.cycle { border-left: 4px solid var(--red); }
ol.chain > li.unproven { border-style: dashed; }
.step { font-weight: 600; overflow-wrap: anywhere; }
.step .verb { font-weight: 400; color: var(--muted); }
.ev { list-style: none; margin: 4px 0 0; padding: 0; font-size: 12.5px; color: #344054; }
.ev li { margin: 2px 0; overflow-wrap: anywhere; }
.ev .k { display: inline-block; min-width: 64px; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
figure { margin: 0; }
.graph-box { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fcfcfd; }
svg.graph { display: block; margin: 0 auto; max-width: 100%; height: auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg .node rect { fill: #fff; stroke: #667085; stroke-width: 1.4; }
svg .node.thread rect { fill: #f2f4f7; }
svg .node.resource rect { fill: #fffaeb; stroke: #b54708; }
svg .node.exited rect { stroke-dasharray: 4 3; fill: #fff; }
svg .node.cycle rect { stroke: var(--red); stroke-width: 2.2; }
svg .node.thread.cycle rect { fill: var(--red-soft); }
svg .t1 { font-size: 12.5px; font-weight: 700; fill: var(--ink); }
svg .t2 { font-size: 11px; fill: var(--muted); font-family: var(--mono); }
svg .edge { fill: none; stroke: #667085; stroke-width: 1.6; }
svg .edge.cycle { stroke: var(--red); stroke-width: 2.4; }
svg .edge.unproven { stroke-dasharray: 6 4; }
svg .edge-head { fill: #667085; }
svg .edge-head.cycle { fill: var(--red); }
svg .edge-label rect { fill: #fff; opacity: .92; }
svg .edge-label text { font-size: 10.5px; fill: var(--muted); }
svg .edge-label.cycle text { fill: var(--red); font-weight: 600; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 6px; }
.legend span { margin-right: 16px; white-space: nowrap; }
.legend i { display: inline-block; width: 26px; height: 0; border-top: 2px solid #667085; vertical-align: middle; margin-right: 5px; }
.legend i.red { border-top: 2.5px solid var(--red); }
.legend i.dashed { border-top-style: dashed; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; color: #344054; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td { overflow-wrap: break-word; }
td.nowrap, th.nowrap { white-space: nowrap; }
td.mono { word-break: break-word; }
tr.involved td { background: #fffdf5; }
tr.in-cycle td:first-child { box-shadow: inset 4px 0 0 var(--red); }
.stack { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 14px; break-inside: auto; }
.stack > header { padding: 8px 12px; background: var(--soft); border-bottom: 1px solid var(--line); border-radius: 6px 6px 0 0; }
.stack > header .wait { font-size: 12.5px; color: #344054; margin-top: 2px; overflow-wrap: anywhere; }
.stack.in-cycle > header { background: var(--red-soft); box-shadow: inset 4px 0 0 var(--red); }
table.frames td { font-family: var(--mono); font-size: 12px; border-bottom-color: #eef1f4; }
table.frames td.pc { white-space: nowrap; color: #475467; }
table.frames td.src { color: #475467; word-break: break-all; }
table.frames td.fn { font-weight: 600; }
table.frames tr.inline td.fn { font-weight: 400; font-style: italic; }
table.frames tr.guess td { color: var(--muted); }
.stop { padding: 6px 12px; font-size: 12px; color: var(--amber); }
details { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 6px; }
details > summary { padding: 6px 12px; cursor: pointer; font-size: 13px; overflow-wrap: anywhere; }
details[open] > summary { border-bottom: 1px solid var(--line); background: var(--soft); }
.muted { color: var(--muted); }
.note { font-size: 12.5px; color: var(--muted); }
pre.transcript { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; font: 12px/1.45 var(--mono); overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
@media print {
  html { background: #fff; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  .verdict, .stack > header, tr { break-inside: avoid; }
  .graph-box { overflow: visible; border: none; }
  details > summary { cursor: default; }
  /* On paper nothing can be clicked open: print collapsed stacks open (browsers with ::details-content). */
  details::details-content { content-visibility: visible; display: block; }
  @page { margin: 14mm 12mm; }
}
`;

export function renderHtml(input: ReportInput): string {
  const m = buildReportModel(input);
  const d = input.dump;
  const parts: string[] = [];
  parts.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Defence in depth: even if some text escaped its escaping, nothing could run or load.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${h(input.generator)}">`,
    `<title>${h(m.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
  );
  parts.push(headerHtml(m));
  parts.push(verdictHtml(m));
  parts.push(evidenceHtml(m));
  parts.push(graphHtml(m));
  parts.push(threadsHtml(m));
  if (input.comparison) parts.push(comparisonHtml(input.comparison, d.id));
  parts.push(stacksHtml(m));
  parts.push(modulesHtml(input.modules));
  if (input.transcripts && input.transcripts.length > 0) parts.push(transcriptsHtml(input));
  parts.push(
    `<footer>Generated by ${h(input.generator)} on ${h(utc(input.generatedAt))} from ${h(d.path)}. This file is self-contained: it runs no script and loads nothing. Text from the dump is shown as text.</footer>`,
    '</body>',
    '</html>',
    '',
  );
  return parts.join('\n');
}

function headerHtml(m: ReportModel): string {
  const d = m.input.dump;
  const facts: [string, string][] = [
    ['Dump', d.originalPath ? `${d.originalPath} (${d.compression ?? 'compressed'})` : d.path],
    ['Dump file time', utc(d.mtimeMs)],
    ['Process', `${d.process} (pid ${d.pid})`],
    ['Signal', signalText(d)],
    ['Command line', d.args || '—'],
    ['Threads', `${d.threadCount}${d.incompleteStacks > 0 ? ` (${d.incompleteStacks} with incomplete stacks)` : ''}`],
    ['Executable', d.executable ?? '—'],
    ['Runtime', d.runtime ? `.NET ${d.runtime.version ?? '(version unknown)'}` : d.glibc ? `native, glibc ${d.glibc}` : 'native'],
  ];
  return [
    '<header>',
    '<div class="kicker">dumpscope · incident report</div>',
    `<h1>${h(m.title)}</h1>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${h(v)}</dd>`).join('')}</dl>`,
    d.warnings.length > 0 ? `<p class="note">Warnings while reading the dump: ${d.warnings.map(h).join('; ')}</p>` : '',
    '</header>',
  ].join('\n');
}

function verdictHtml(m: ReportModel): string {
  const v = m.input.locks.verdict;
  const c = m.input.comparison;
  const badge = m.severity === 'deadlock' ? (c?.verdict.deadlockConfirmed ? 'Deadlock, confirmed' : 'Deadlock') : m.severity === 'blocked' ? 'Blocked threads' : 'No deadlock';
  const out = [`<section class="verdict ${m.severity}" id="verdict">`, `<span class="badge ${m.severity}">${badge}</span>`, `<p class="summary">${h(v.summary)}</p>`];
  if (v.details.length > 0) out.push(`<ul>${v.details.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`);
  if (c) {
    const isA = c.dumpA.dumpId === m.input.dump.id;
    const other = isA ? c.dumpB : c.dumpA;
    const later = c.interval ? (c.interval.ms >= 0) === isA : null;
    const when = c.interval && later !== null ? `, ${c.interval.text} ${later ? 'later' : 'earlier'}` : '';
    out.push(
      '<div class="second">',
      `<span class="badge ${c.verdict.deadlockConfirmed ? 'deadlock' : c.verdict.sameProcess ? 'ok' : 'exited'}">Compared with ${isA ? 'a later' : 'an earlier'} dump</span> `,
      `<span class="muted">${h(other.originalPath ?? other.path)}${h(when)}</span>`,
      `<p class="summary">${h(c.verdict.summary)}</p>`,
      '</div>',
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function evidenceHtml(m: ReportModel): string {
  if (m.evidence.length === 0) return '<section id="evidence"><h2>Evidence</h2><p class="note">No thread waits on a lock another thread holds: there is no wait-for edge to prove.</p></section>';
  const items = m.evidence.map((s) => {
    const cls = [s.inCycle ? 'cycle' : '', s.proven ? '' : 'unproven'].filter(Boolean).join(' ');
    const ev = s.evidence.map((e) => `<li><span class="k">${h(e.kind)}</span> ${h(e.text)}${e.address ? ` <span class="muted">at <code>${h(e.address)}</code></span>` : ''}</li>`).join('');
    return `<li${cls ? ` class="${cls}"` : ''}><div class="step">${h(capital(s.from))} <span class="verb">${h(s.verb)}</span> ${h(s.to)}${s.proven ? '' : ' <span class="badge how">not proven</span>'}</div>${ev ? `<ul class="ev">${ev}</ul>` : ''}</li>`;
  });
  return ['<section id="evidence">', '<h2>Evidence chain</h2>', `<ol class="chain">${items.join('\n')}</ol>`, '</section>'].join('\n');
}

function graphHtml(m: ReportModel): string {
  const { svg, layout } = graphSvg(m.input.locks, m.input.threads);
  if (!svg) return '';
  const omitted = layout.omitted > 0 ? ` ${layout.omitted} more node${layout.omitted === 1 ? ' is' : 's are'} not drawn (the tables below list every thread).` : '';
  return [
    '<section id="graph">',
    '<h2>Wait-for graph</h2>',
    `<figure><div class="graph-box">${svg}</div>`,
    `<figcaption class="legend"><span><i class="red"></i>deadlock cycle</span><span><i></i>proven edge</span><span><i class="dashed"></i>not proven (likely holder)</span><span>Rounded boxes are threads, square ones locks and other resources.${omitted}</span></figcaption>`,
    '</figure>',
    '</section>',
  ].join('\n');
}

function threadsHtml(m: ReportModel): string {
  const withCompare = Boolean(m.input.comparison);
  const head = `<tr><th class="num">#</th><th class="num">DBG</th><th class="num">TID</th><th class="num">OSID</th><th>Name</th><th>State</th>${withCompare ? '<th>A → B</th>' : ''}<th>Waits on</th><th>Top frame</th></tr>`;
  const rows = m.rows.map((r) => {
    const t = r.thread;
    const cls = [r.involved ? 'involved' : '', m.cycleTids.has(t.tid) ? 'in-cycle' : ''].filter(Boolean).join(' ');
    const status = withCompare ? `<td>${r.compareStatus ? `<span class="badge ${r.compareStatus}">${STATUS_TEXT[r.compareStatus]}</span>` : ''}</td>` : '';
    return `<tr${cls ? ` class="${cls}"` : ''}><td class="num">${t.index}</td><td class="num">${t.dbg}</td><td class="num">${t.tid}</td><td class="num mono">${h(t.osid)}</td><td>${h(t.name ?? '')}</td><td class="nowrap">${h(r.state)}</td>${status}<td>${h(r.waitsOn)}</td><td class="mono">${h(r.topFrame)}</td></tr>`;
  });
  return ['<section id="threads">', `<h2>Threads (${m.rows.length})</h2>`, `<table class="threads"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table>`, '</section>'].join('\n');
}

function framesTable(v: StackView): string {
  if (!v.stack || v.frames.length === 0) return '<p class="stop">No stack for this thread.</p>';
  const rows = v.frames.map(({ frame: f, name, location }) => {
    const cls = [f.inline ? 'inline' : '', f.how === 'scan' ? 'guess' : ''].filter(Boolean).join(' ');
    const how = f.how === 'cfi' || f.how === 'context' ? '' : `<span class="badge how">${HOW_TEXT[f.how]}</span>`;
    return `<tr${cls ? ` class="${cls}"` : ''}><td class="num">${f.index}</td><td class="pc">${h(f.pc)}</td><td class="fn">${h(name)}${f.inline ? ' <span class="muted">[inlined]</span>' : ''}</td><td class="src">${h(location)}</td><td>${how}</td></tr>`;
  });
  const stop = v.stack.stopReason !== 'ok' ? `<p class="stop">The walk stopped early: ${h(v.stack.stopReason)}${v.stack.stopDetail ? ` — ${h(v.stack.stopDetail)}` : ''}</p>` : '';
  return `<table class="frames"><thead><tr><th class="num">#</th><th>PC</th><th>Function</th><th>Source</th><th>How</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>${stop}`;
}

function threadTitle(r: ThreadRow): string {
  const t = r.thread;
  return `Thread #${t.index} · tid ${t.tid} · OSID ${t.osid} · DBG ${t.dbg}${t.name ? ` · ${t.name}` : ''}`;
}

function stacksHtml(m: ReportModel): string {
  const full = m.stacks.filter((s) => s.row.involved);
  const others = m.stacks.filter((s) => !s.row.involved);
  const out = ['<section id="stacks">', '<h2>Stacks</h2>'];
  if (full.length > 0) out.push(`<p class="note">The ${full.length === 1 ? 'thread' : `${full.length} threads`} involved in the verdict, in full; the others collapsed below.</p>`);
  for (const s of full) {
    const inCycle = m.cycleTids.has(s.row.thread.tid);
    out.push(
      `<article class="stack${inCycle ? ' in-cycle' : ''}"><header><h3>${h(threadTitle(s.row))}</h3>${s.row.waitsOn ? `<div class="wait">${h(s.row.waitsOn)}</div>` : ''}</header>${framesTable(s)}</article>`,
    );
  }
  if (others.length > 0) {
    if (full.length > 0) out.push(`<h3 class="muted" style="margin:16px 0 8px">Other threads (${others.length})</h3>`);
    for (const s of others) {
      const top = s.row.topFrame ? ` — ${s.row.topFrame}` : '';
      out.push(`<details><summary>${h(`${threadTitle(s.row)}${top}`)} <span class="muted">(${s.frames.length} frames)</span></summary>${framesTable(s)}</details>`);
    }
  }
  out.push('</section>');
  return out.join('\n');
}

function modulesHtml(modules: readonly ModuleSymbolStatus[]): string {
  if (modules.length === 0) return '';
  const rows = modules.map((mo) => {
    const q = mo.quality === 'none' ? 'exited' : mo.quality === 'dynsym' ? 'blocked' : 'ok';
    return `<tr><td class="mono nowrap">${h(mo.name)}</td><td class="mono nowrap" title="${h(mo.buildId ?? '')}">${h(mo.buildId ? `${mo.buildId.slice(0, 12)}…` : '—')}</td><td><span class="badge ${q}">${h(mo.quality)}</span></td><td>${h(mo.symbolFile ?? '—')}${mo.symbolSource ? ` <span class="muted">(${h(mo.symbolSource)})</span>` : ''}</td><td>${mo.notes.map(h).join('<br>')}</td></tr>`;
  });
  return [
    '<section id="modules">',
    `<h2>Modules and symbols (${modules.length})</h2>`,
    '<table><thead><tr><th>Module</th><th>Build-id</th><th>Symbols</th><th>Symbols from</th><th>Notes</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
    '</section>',
  ].join('\n');
}

function comparisonHtml(c: DumpComparison, reportDumpId: number): string {
  const side = (label: string, x: DumpComparison['dumpA']) =>
    `<dt>${label}</dt><dd>${h(x.originalPath ?? x.path)} — ${h(x.process)} (pid ${x.pid}), ${x.threadCount} threads${x.capturedAtMs !== null ? `, file time ${h(utc(x.capturedAtMs))}` : ''}${x.dumpId === reportDumpId ? ' <span class="muted">(this report)</span>' : ''}</dd>`;
  const out = ['<section id="comparison">', '<h2>Comparison with a second dump</h2>', `<dl class="facts" style="grid-template-columns:max-content 1fr">${side('A', c.dumpA)}${side('B', c.dumpB)}`];
  out.push(`<dt>Between</dt><dd>${c.interval ? h(`${c.interval.text} (from the files' modification times)`) : 'unknown'}</dd>`);
  out.push(`<dt>Same process</dt><dd>${c.sameProcess.same ? 'yes' : `<strong>no</strong>: ${c.sameProcess.differences.map(h).join('; ')}`}</dd></dl>`);
  out.push(`<p><strong>${h(c.verdict.summary)}</strong></p>`);
  if (c.verdict.details.length > 0) out.push(`<ul class="note">${c.verdict.details.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`);
  const rows = c.threads.map((t: ThreadComparison) => {
    const s = t.a ?? t.b!;
    return `<tr><td><span class="badge ${t.status}">${STATUS_TEXT[t.status]}</span></td><td class="num">${s.index}</td><td class="num">${t.tid}</td><td class="mono">${h(t.a?.topFrame ?? '—')}</td><td class="mono">${h(t.b?.topFrame ?? '—')}</td><td>${h(t.status === 'progressed' ? divergenceText(t) : (t.b?.waitSummary ?? t.a?.waitSummary ?? ''))}</td></tr>`;
  });
  out.push(
    '<table><thead><tr><th>Status</th><th class="num">#</th><th class="num">TID</th><th>Top frame in A</th><th>Top frame in B</th><th>Where the stacks part / what it waits on</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
  );
  if (c.persistentEdges.length > 0) {
    out.push('<h3 style="margin:14px 0 6px">Persistent blockers (in both dumps)</h3>', `<ul>${c.persistentEdges.map((e) => `<li>${h(e.summary)}</li>`).join('')}</ul>`);
  }
  out.push('</section>');
  return out.join('\n');
}

function transcriptsHtml(input: ReportInput): string {
  const items = (input.transcripts ?? []).map(
    (t) => `<figure><figcaption><strong>${h(t.command)}</strong> in ${h(t.source)} — ${h(t.why)}</figcaption><pre class="transcript">${escapeHtmlLines(t.text)}</pre></figure>`,
  );
  return ['<section id="transcripts">', '<h2>Transcript excerpts</h2>', items.join('\n'), '</section>'].join('\n');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
