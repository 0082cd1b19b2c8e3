import { describe, expect, it } from 'vitest';
import { inert, inertCell, jsonText, table } from '../../../main/cli/format';

describe('terminal output of untrusted text', () => {
  it('escapes control characters and terminal escape sequences', () => {
    expect(inert('evil\x1b[2J\x1b]0;title\x07name')).toBe('evil\\x1b[2J\\x1b]0;title\\x07name');
    expect(inert('a\u202eb')).toBe('a\\u{202e}b');
    expect(inert('line\nnext')).toBe('line\nnext');
    expect(inertCell('line\nnext\tcol')).toBe('line\\nnext\\tcol');
  });

  it('aligns tables and keeps hostile cells on one line', () => {
    const t = table([{ a: '1', b: 'x\ny' }, { a: '22', b: 'z' }], [
      { header: '#', value: (r) => r.a, align: 'right' },
      { header: 'NAME', value: (r) => r.b },
    ]);
    expect(t).toBe(' #  NAME\n 1  x\\ny\n22  z\n');
  });
});

describe('JSON documents on stdout', () => {
  it('keep values exact but write terminal and bidi controls as escapes', () => {
    const doc = { name: 'evil\u009b2J\u202egnp.exe\u007f', ok: 'x' };
    const text = jsonText(doc);
    expect(text).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain('\\u009b');
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(doc);
  });
});
