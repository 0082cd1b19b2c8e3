// The Markdown report, for a GitHub issue: the verdict first, the evidence, the thread table,
// the involved threads' stacks in open <details> blocks and the others collapsed, the
// comparison and the modules. Dump text goes through escapeMarkdown (text, table cells,
// <summary>) or fencedCode (stacks). GitHub refuses an issue body over 65,536 characters, so
// the report is trimmed to fit: collapsed stacks first, then the modules, then the other
// threads' rows, then the involved stacks' deepest frames — each cut said in the report.
import { type DumpComparison } from '../../../shared/types';
import { escapeMarkdown as md, fencedCode } from './escape';
import { buildReportModel, type ReportInput, type ReportModel, type StackView } from './report-model';
import { divergenceText, signalText, STATUS_TEXT, utc } from './report-text';

/** GitHub's limit on an issue (or comment) body, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Characters the whole document may use (default GitHub's limit). */
  maxChars?: number;
}

interface Budget {
  collapsedStacks: number;
  modules: boolean;
  otherRows: boolean;
  /** Frames per involved stack; Infinity for all. */
  framesPerStack: number;
}

export function renderMarkdown(input: ReportInput, opts: MarkdownOptions = {}): string {
  const max = opts.maxChars ?? GITHUB_BODY_LIMIT;
  const m = buildReportModel(input);
  const others = m.stacks.filter((s) => !s.row.involved).length;
  const budget: Budget = { collapsedStacks: others, modules: true, otherRows: true, framesPerStack: Infinity };
  let doc = compose(m, budget);
  if (doc.length <= max) return doc;
  // Drop collapsed stacks from the end, halving what is kept until it fits, then finely.
  let lo = 0;
  let hi = others;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (compose(m, { ...budget, collapsedStacks: mid }).length <= max) lo = mid;
    else hi = mid - 1;
  }
  budget.collapsedStacks = lo;
  doc = compose(m, budget);
  if (doc.length <= max) return doc;
  budget.modules = false;
  doc = compose(m, budget);
  if (doc.length <= max) return doc;
  budget.otherRows = false;
  doc = compose(m, budget);
  for (const frames of [64, 32, 16, 8, 4]) {
    if (doc.length <= max) return doc;
    budget.framesPerStack = frames;
    doc = compose(m, budget);
  }
  if (doc.length <= max) return doc;
  // Still too long (thousands of involved threads): cut at a line, and say so.
  const note = '\n\n_The report was cut here to fit GitHub’s 65,536-character limit; `dumpscope report --format html` writes all of it._\n';
  const cutAt = doc.lastIndexOf('\n', max - note.length - 16);
  const head = doc.slice(0, Math.max(0, cutAt));
  // Close an open fence or <details> so the cut cannot swallow the note.
  const fences = head.match(/^`{3,}/gm) ?? [];
  const open = fences.length % 2 === 1 ? `\n${fences[fences.length - 1]}` : '';
  const details = (head.match(/<details/g) ?? []).length - (head.match(/<\/details>/g) ?? []).length;
  return `${head}${open}${details > 0 ? '\n\n</details>' : ''}${note}`;
}

function compose(m: ReportModel, b: Budget): string {
  const d = m.input.dump;
  const v = m.input.locks.verdict;
  const out: string[] = [];
  out.push(`## ${md(m.title)}`, '');
  out.push(`**Verdict:** ${md(v.summary)}`, '');
  for (const x of v.details) out.push(`- ${md(x)}`);
  if (v.details.length > 0) out.push('');
  const c = m.input.comparison;
  if (c) {
    const isA = c.dumpA.dumpId === d.id;
    const later = c.interval ? ` (${md(c.interval.text)} ${(c.interval.ms >= 0) === isA ? 'later' : 'earlier'})` : '';
    out.push(`**Compared with ${isA ? 'a later' : 'an earlier'} dump${later}:** ${md(c.verdict.summary)}`, '');
  }

  out.push(
    '| | |',
    '|---|---|',
    `| Dump | ${md(d.originalPath ?? d.path)} |`,
    `| Process | ${md(`${d.process} (pid ${d.pid})`)} |`,
    `| Command line | ${md(d.args || '—')} |`,
    `| Executable | ${md(d.executable ?? '—')} |`,
    `| Signal | ${md(signalText(d))} |`,
    `| Threads | ${d.threadCount} |`,
    `| Dump file time | ${md(utc(d.mtimeMs))} |`,
    '',
  );

  if (m.evidence.length > 0) {
    out.push('### Evidence', '');
    m.evidence.forEach((s, i) => {
      out.push(`${i + 1}. **${md(capital(s.from))}** ${md(s.verb)} **${md(s.to)}**${s.proven ? '' : ' _(not proven)_'}${s.inCycle ? ' — in the cycle' : ''}`);
      for (const e of s.evidence) out.push(`   - ${md(e.kind)}: ${md(e.text)}`);
    });
    out.push('');
  }

  const withCompare = Boolean(c);
  const rows = b.otherRows ? m.rows : m.rows.filter((r) => r.involved);
  out.push(`### Threads (${m.rows.length})`, '');
  out.push(`| # | DBG | TID | OSID | Name | State |${withCompare ? ' A → B |' : ''} Waits on | Top frame |`);
  out.push(`|--:|--:|--:|--:|---|---|${withCompare ? '---|' : ''}---|---|`);
  for (const r of rows) {
    const t = r.thread;
    const status = withCompare ? ` ${r.compareStatus ? STATUS_TEXT[r.compareStatus] : ''} |` : '';
    out.push(`| ${t.index} | ${t.dbg} | ${t.tid} | ${md(t.osid)} | ${md(t.name ?? '')} | ${md(r.state)} |${status} ${md(r.waitsOn)} | ${md(r.topFrame)} |`);
  }
  if (rows.length < m.rows.length) out.push('', `_${m.rows.length - rows.length} threads not involved in the verdict are left out to fit GitHub’s size limit._`);
  out.push('');

  if (c) out.push(...comparisonMd(c), '');

  const full = m.stacks.filter((s) => s.row.involved);
  const others = m.stacks.filter((s) => !s.row.involved);
  out.push('### Stacks', '');
  for (const s of full) out.push(...stackMd(s, true, b.framesPerStack), '');
  for (const s of others.slice(0, b.collapsedStacks)) out.push(...stackMd(s, false, Infinity), '');
  const dropped = others.length - Math.min(others.length, b.collapsedStacks);
  if (dropped > 0) {
    out.push(`_Stacks of ${dropped} other thread${dropped === 1 ? '' : 's'} omitted to fit GitHub’s 65,536-character limit; \`dumpscope bt\` on the dump prints them all._`, '');
  }

  const modules = m.input.modules;
  if (modules.length > 0 && b.modules) {
    out.push('<details><summary>Modules and symbols (' + modules.length + ')</summary>', '');
    out.push('| Module | Build-id | Symbols | Symbols from |', '|---|---|---|---|');
    for (const mo of modules) out.push(`| ${md(mo.name)} | ${md(mo.buildId ? mo.buildId.slice(0, 16) : '—')} | ${md(mo.quality)} | ${md(mo.symbolFile ?? '—')} |`);
    out.push('', '</details>', '');
  } else if (modules.length > 0) {
    out.push(`_The module table (${modules.length} modules) is omitted to fit GitHub’s size limit._`, '');
  }

  const transcripts = m.input.transcripts ?? [];
  if (transcripts.length > 0) {
    out.push('### Transcript excerpts', '');
    for (const t of transcripts) out.push(`**${md(t.command)}** in ${md(t.source)} — ${md(t.why)}`, '', fencedCode(t.text.split(/\r?\n/)), '');
  }
  out.push(`<sub>Generated by ${md(m.input.generator)} on ${md(utc(m.input.generatedAt))}.</sub>`, '');
  return out.join('\n');
}

function stackMd(s: StackView, open: boolean, maxFrames: number): string[] {
  const t = s.row.thread;
  const title = `Thread #${t.index} · tid ${t.tid} · OSID ${t.osid} · DBG ${t.dbg}${t.name ? ` · ${t.name}` : ''}${s.row.waitsOn ? ` — ${s.row.waitsOn}` : s.row.topFrame ? ` — ${s.row.topFrame}` : ''}`;
  const frames = s.frames.slice(0, maxFrames);
  const lines = frames.map(({ frame: f, name, location }) => `#${String(f.index).padEnd(3)} ${f.pc.padEnd(14)} ${name}${f.inline ? ' [inlined]' : ''}${location ? ` at ${location}` : ''}${f.how === 'scan' || f.how === 'fp' ? ` [${f.how === 'scan' ? 'stack scan' : 'frame pointer'}]` : ''}`);
  if (s.frames.length > frames.length) lines.push(`… ${s.frames.length - frames.length} outer frames left out to fit GitHub’s size limit`);
  if (s.stack && s.stack.stopReason !== 'ok') lines.push(`(walk stopped: ${s.stack.stopReason}${s.stack.stopDetail ? `: ${s.stack.stopDetail}` : ''})`);
  if (lines.length === 0) lines.push('(no stack)');
  // <summary> is raw HTML on GitHub: escapeMarkdown's character references read as text there too.
  return [`<details${open ? ' open' : ''}><summary>${md(title)}</summary>`, '', fencedCode(lines), '', '</details>'];
}

function comparisonMd(c: DumpComparison): string[] {
  const out = ['### Comparison with a second dump', ''];
  out.push(`- A: ${md(c.dumpA.originalPath ?? c.dumpA.path)} (pid ${c.dumpA.pid}${c.dumpA.capturedAtMs !== null ? `, ${md(utc(c.dumpA.capturedAtMs))}` : ''})`);
  out.push(`- B: ${md(c.dumpB.originalPath ?? c.dumpB.path)} (pid ${c.dumpB.pid}${c.dumpB.capturedAtMs !== null ? `, ${md(utc(c.dumpB.capturedAtMs))}` : ''})`);
  if (!c.sameProcess.same) out.push(`- **Not the same process:** ${md(c.sameProcess.differences.join('; '))}`);
  out.push('', `**${md(c.verdict.summary)}**`, '');
  for (const x of c.verdict.details) out.push(`- ${md(x)}`);
  out.push('', '| Status | # | TID | Top frame in A | Top frame in B | Where the stacks part |', '|---|--:|--:|---|---|---|');
  for (const t of c.threads) {
    const s = t.a ?? t.b!;
    out.push(`| ${STATUS_TEXT[t.status]} | ${s.index} | ${t.tid} | ${md(t.a?.topFrame ?? '—')} | ${md(t.b?.topFrame ?? '—')} | ${md(divergenceText(t))} |`);
  }
  return out;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
