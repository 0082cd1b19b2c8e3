// The window shows text from a dump as the CLI prints it: the same characters escaped the same way
// (renderer/lib/inert.ts against main/cli/format.ts), and the lock graph's labels measured after.
import { describe, expect, it } from 'vitest';
import { inert as cliInert, inertCell as cliInertCell } from '../../../main/cli/format';
import { inert, inertLine, inertText, isInert } from '../../../renderer/lib/inert';
import { buildGraphModel } from '../../../renderer/features/lock-graph/graph-model';
import { type LockGraph, type ThreadInfo } from '../../../shared/types';

const ESC = '\x1b';
const RLO = '\u202e';
const SAMPLES = [
  `fn${ESC}]0;pwned\x07<img src=x onerror=alert(1)>${RLO}evil`,
  `dir${ESC}[31mRED${ESC}[0m<script>alert(1)</script>${RLO}gpj.exe`,
  'a\tb\nc\r\nd\u0000e\u007f\u0085\u200e\u200f\u202a\u2066\u2069',
  'plain ascii, ünïcödé, עברית, 日本語',
];

describe('inert', () => {
  it('escapes what the CLI escapes, the same way', () => {
    for (const s of SAMPLES) {
      expect(inert(s)).toBe(cliInert(s));
      expect(inertLine(s)).toBe(cliInertCell(s));
    }
    expect(inertLine(SAMPLES[0])).toBe('fn\\x1b]0;pwned\\x07<img src=x onerror=alert(1)>\\u{202e}evil');
  });

  it('leaves text without controls alone, markup included (React never makes markup of it)', () => {
    expect(inert(SAMPLES[3])).toBe(SAMPLES[3]);
    expect(inert('<b>bold</b> & "quotes"')).toBe('<b>bold</b> & "quotes"');
  });

  it('is idempotent: escaping twice changes nothing', () => {
    for (const s of SAMPLES) expect(inertLine(inertLine(s))).toBe(inertLine(s));
  });

  it('for an editor: keeps line ends (CRLF as LF) and tabs, escapes a lone CR', () => {
    expect(inertText('a\r\nb\tc\rd')).toBe('a\nb\tc\\x0dd');
    expect(isInert(inertText(SAMPLES[2]))).toBe(true);
    expect(isInert(SAMPLES[0])).toBe(false);
  });
});

describe('the lock graph labels', () => {
  it('are inert and sized after escaping', () => {
    const mutex = `mu${ESC}[5m<script>alert(1)</script>${RLO}evil`;
    const graph = {
      nodes: [
        { id: 'thread:1', kind: 'thread', tid: 1, label: 'thread #1' },
        { id: 'mutex:0x10', kind: 'mutex', address: '0x10', name: mutex, label: 'mutex' },
        { id: 'thread:2', kind: 'thread', tid: 2, label: 'thread #2' },
      ],
      edges: [
        { from: 'thread:1', to: 'mutex:0x10', kind: 'waits', proven: true, evidence: [] },
        { from: 'mutex:0x10', to: 'thread:2', kind: 'held-by', proven: true, evidence: [] },
      ],
      cycles: [],
      verdict: { deadlock: false, summary: '' },
    } as unknown as LockGraph;
    const threads = [
      { tid: 1, index: 1, name: `${ESC}[31m<b>${RLO}X`, topFrame: null, wait: null },
      { tid: 2, index: 2, name: null, topFrame: 'main', wait: null },
    ] as unknown as ThreadInfo[];
    const m = buildGraphModel(graph, threads, new Set());
    for (const n of m.nodes) {
      expect(isInert(n.label), n.label).toBe(true);
      expect(isInert(n.sublabel ?? ''), n.sublabel ?? '').toBe(true);
    }
    // cut to 34 characters after escaping (the whole name is in the tooltip)
    expect(m.nodes.find((n) => n.id === 'mutex:0x10')?.label).toBe('mu\\x1b[5m<script>alert(1)</script…');
    expect(m.nodes.find((n) => n.id === 'thread:1')?.sublabel).toBe('\\x1b[31m<b>\\u{202e}X');
  });
});
