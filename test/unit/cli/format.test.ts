import { describe, expect, it } from 'vitest';
import { inert, inertCell, table } from '../../../main/cli/format';

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
