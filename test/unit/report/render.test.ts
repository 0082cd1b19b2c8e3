// The three renderers on hand-made dumps whose every piece of text is hostile: thread names,
// symbols, file paths, lock names, evidence, the dump's path and command line, module notes,
// transcripts. HTML must contain only its own tags; Markdown only its own markup, with fences
// longer than any backtick run; JSON must carry the text exactly and no raw `<`.
import { describe, expect, it } from 'vitest';
import { compareDumps } from '../../../main/core/compare';
import { renderHtml, renderJson, renderMarkdown, renderReport, escapeMarkdown, escapeHtml, fenceFor, GITHUB_BODY_LIMIT, type ReportInput } from '../../../main/core/report';
import { type ModuleSymbolStatus } from '../../../shared/types';
import { BUSY_A, BUSY_B, lockOrder, mutexWait, side, running } from '../compare/builders';
import { HOSTILE, htmlProblems, markdownProblems, splitFences } from './hostile';

const T0 = 1_700_000_000_000;

function symbols(names: readonly string[]): ModuleSymbolStatus[] {
  return names.map((n, i) => ({ path: `/opt/${n}/lib${i}.so`, name: n, buildId: `ab${i}`, codeFile: null, codeSource: null, symbolFile: `/sym/${n}`, symbolSource: 'build-id', quality: 'symtab', notes: [n] }));
}

/** A lock-order deadlock whose every name is one of HOSTILE, compared with a second dump. */
function hostileInput(): ReportInput {
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8, h9] = HOSTILE;
  const mk = (id: number, busyPc: string) => {
    const s = side(
      [
        { tid: 100, frames: [['0x7f10', h0], ['0x5510', h1]], wait: mutexWait('0x5600', h2, 101), name: h3 },
        { tid: 101, frames: [['0x7f30', h4], ['0x5520', h5]], wait: mutexWait('0x5640', h6, 100), name: h7 },
        { tid: 102, frames: [[busyPc, h8], ['0x5580', h9]], wait: running(), name: h9 },
      ],
      { id, path: `/cores/${h0}/${h5}`, process: h1, args: h3, executable: `/bin/${h4}`, mtimeMs: T0 + id * 7000, warnings: [h6] },
    );
    for (const st of s.stacks) for (const f of st.frames) Object.assign(f, { file: `/src/${h1}/${h8}.c`, line: 3, module: h7 });
    s.stacks[2].stopReason = 'missingMemory';
    s.stacks[2].stopDetail = h5;
    for (const e of s.locks.edges) e.evidence.push({ kind: 'frame', text: h2, address: '0x1' });
    return s;
  };
  const a = mk(1, '0x5550');
  const b = mk(2, '0x5554');
  return {
    dump: b.dump,
    threads: b.threads,
    stacks: b.stacks,
    locks: b.locks,
    modules: symbols(HOSTILE),
    comparison: compareDumps(a, b),
    transcripts: [{ source: h0, command: h3, text: HOSTILE.join('\n'), why: h5 }],
    generatedAt: '2026-01-02T03:04:05.000Z',
    generator: 'dumpscope test',
  };
}

describe('HTML report', () => {
  const html = renderHtml(hostileInput());

  it('contains only its own tags and attributes, whatever the dump says', () => {
    expect(htmlProblems(html)).toEqual({ tags: [], attributes: [], controls: [] });
    expect(html).not.toMatch(/<script|<img|<!--/i);
    // The browser is told the same: no script, no request.
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  });

  it('shows the hostile text as text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/details&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&quot;quoted&quot; &#39;single&#39; &amp; amp; &amp;lt;');
    expect(html).toContain('line1\\nline2\\x0d\\n# heading');
    expect(html).toContain('\\x1b[31mred\\x07 \\u{202e}evil');
    // The transcript keeps its lines, and only its lines.
    expect(html).toMatch(/<pre class="transcript">&lt;script&gt;alert\(1\)&lt;\/script&gt;\n&lt;\/details&gt;/);
  });

  it('leads with the verdict and the evidence, and has every section', () => {
    const order = ['id="verdict"', 'id="evidence"', 'id="graph"', 'id="threads"', 'id="comparison"', 'id="stacks"', 'id="modules"', 'id="transcripts"'].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(html).toMatch(/<section class="verdict deadlock" id="verdict">\n<span class="badge deadlock">Deadlock, confirmed<\/span>/);
    // The involved threads' stacks in full, the busy one collapsed.
    expect((html.match(/<article class="stack/g) ?? []).length).toBe(2);
    expect((html.match(/<details>/g) ?? []).length).toBe(1);
  });
});

describe('Markdown report', () => {
  const md = renderMarkdown(hostileInput());

  it('escapes every Markdown and HTML control character outside code, and fences code safely', () => {
    expect(markdownProblems(md)).toEqual({ prose: [], blocks: [] });
    // Raw markup only inside fences, where it is text; every <details> of the prose closed.
    const prose = splitFences(md).prose.join('\n');
    expect(prose).not.toMatch(/<script|<img|\]\(javascript/i);
    expect((prose.match(/<details/g) ?? []).length).toBe((prose.match(/<\/details>/g) ?? []).length);
    expect((prose.match(/<details/g) ?? []).length).toBe(4); // three stacks and the modules
  });

  it('starts with the verdict and keeps the hostile frame text readable inside the fences', () => {
    expect(md.startsWith('## Confirmed deadlock in ')).toBe(true);
    expect(md.split('\n')[2]).toMatch(/^\*\*Verdict:\*\* Deadlock: thread #&#8288;1/);
    expect(md).toContain('<details open><summary>Thread #&#8288;1 · tid 100');
    // Inside a fence the text is as it was, on one line per frame.
    expect(md).toMatch(/^#0 {3}0x7f10 {9}@octocat #12 https:\/\/evil\.example www\.evil\.example`<script>alert\(1\)<\/script> \+ 4 at \/src\/<\/details>/m);
    expect(md).toContain('fence `` ``` ```` run');
  });

  it('stays within GitHub’s limit by dropping collapsed stacks first, and says so', () => {
    const specs = Array.from({ length: 1500 }, (_, i) => ({
      tid: 1000 + i,
      frames: Array.from({ length: 30 }, (_, k) => [`0x${(0x400000 + k * 16 + i).toString(16)}`, `namespace::Class<int>::method_${k}_with_a_long_name`] as [string, string]),
      wait: running(),
    }));
    specs.push({ tid: 5, frames: [['0x10', '__lll_lock_wait'], ['0x20', 'worker']], wait: mutexWait('0x900', 'm', 6) });
    specs.push({ tid: 6, frames: [['0x10', '__lll_lock_wait'], ['0x30', 'worker2']], wait: mutexWait('0x940', 'n', 5) });
    const s = side(specs);
    const input: ReportInput = { ...s, modules: [], generatedAt: '2026-01-02T03:04:05.000Z', generator: 't' };
    const out = renderMarkdown(input);
    expect(out.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(out).toMatch(/_Stacks of \d+ other threads omitted to fit GitHub’s 65,536-character limit; `dumpscope bt` on the dump prints them all\._/);
    expect(out).toContain('<details open><summary>Thread #&#8288;1501 · tid 5');
    expect(markdownProblems(out)).toEqual({ prose: [], blocks: [] });
    // A limit too small for even the involved stacks: cut at a line, fence and <details> closed.
    const tiny = renderMarkdown(input, { maxChars: 1500 });
    expect(tiny.length).toBeLessThanOrEqual(1500);
    expect(tiny).toMatch(/The report was cut here to fit GitHub’s 65,536-character limit/);
    expect(markdownProblems(tiny).blocks).toEqual([]);
  });
});

describe('JSON report', () => {
  const input = hostileInput();
  const text = renderJson(input);

  it('carries the text exactly, under a schema version, with no raw < > &', () => {
    expect(text).not.toMatch(/[<>&]/);
    const doc = JSON.parse(text) as { schemaVersion: number; kind: string; threads: { name: string }[]; stacks: { frames: { function: string }[] }[]; comparison: { verdict: { deadlockConfirmed: boolean } }; involvedTids: number[]; transcripts: unknown[] };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.kind).toBe('dumpscope-report');
    expect(doc.threads.map((t) => t.name)).toEqual([HOSTILE[3], HOSTILE[7], HOSTILE[9]]);
    expect(doc.stacks[0].frames[0].function).toBe(HOSTILE[0]);
    expect(doc.comparison.verdict.deadlockConfirmed).toBe(true);
    expect(doc.involvedTids).toEqual([100, 101]);
    expect(doc.transcripts).toHaveLength(1);
  });
});

describe('renderReport', () => {
  it('names the file with safe characters and the right type', () => {
    const r = renderReport(hostileInput(), 'md');
    expect(r.filename).toBe('dumpscope-report-details_img_src_x_onerror_alert_2_-100.md');
    expect(r.mime).toBe('text/markdown; charset=utf-8');
    expect(renderReport(hostileInput(), 'html').mime).toBe('text/html; charset=utf-8');
    expect(renderReport(hostileInput(), 'json').filename).toMatch(/\.json$/);
  });

  it('is deterministic: one input, one output', () => {
    const input = hostileInput();
    expect(renderHtml(input)).toBe(renderHtml(input));
  });

  it('says plainly when nothing is blocked', () => {
    const a = lockOrder(BUSY_A);
    const quiet = side([{ tid: 1, frames: [['0x1', 'main']], wait: running() }]);
    const input: ReportInput = { ...quiet, modules: [], generatedAt: '2026-01-02T03:04:05.000Z', generator: 't' };
    const html = renderHtml(input);
    expect(html).toMatch(/<span class="badge ok">No deadlock<\/span>/);
    expect(html).toContain('there is no wait-for edge to prove');
    expect(html).not.toContain('<svg');
    void a;
    void BUSY_B;
  });
});

describe('escapes', () => {
  it('make Markdown inert in one pass', () => {
    expect(escapeMarkdown('# [x](javascript:alert(1)) `a|b` @me #1 https://x www.y <b>')).toBe(
      '&#35; &#91;x&#93;(javascript:alert(1)) &#96;a&#124;b&#96; @&#8288;me #&#8288;1 https:&#8288;//x www&#8288;.y &#60;b&#62;',
    );
    expect(escapeMarkdown('12. item')).toBe('12&#46; item');
    expect(escapeHtml(`<a href='x'>&`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;');
    expect(fenceFor('no ticks')).toBe('```');
    expect(fenceFor('a ```` b')).toBe('`````');
  });
});
