// Damaged debug information: .debug_info, .debug_abbrev, .debug_rnglists/.debug_aranges and
// .debug_str_offsets of a real program, truncated and mutated. Lookups end quickly and never
// throw; what cannot be read is skipped with a note. Symbol tables likewise.
import { describe, expect, test } from 'vitest';
import { compile, haveTool } from '../../helpers/native';
import { ElfImage } from '../../../main/core/elf';
import { DwarfInfo } from '../../../main/core/symbols/dwarf-info';
import { SymbolTable } from '../../../main/core/symbols/symbol-table';
import { instructionAddresses, SYMPROG_C } from './programs';

const hasTools = haveTool('gcc') && haveTool('objdump');

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff);
}

describe.skipIf(!hasTools)('hostile DWARF', () => {
  for (const flags of [
    ['-g', '-O2'],
    ['-gdwarf-4', '-O2'],
  ]) {
    test(`mutated sections of a ${flags.join(' ')} build: lookups never throw and end quickly`, () => {
      const exe = compile('symprog', SYMPROG_C, { flags });
      const img = ElfImage.open(exe);
      const names = ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str', '.debug_line_str', '.debug_aranges', '.debug_rnglists', '.debug_ranges', '.debug_addr', '.debug_str_offsets'];
      const original = new Map(names.map((n) => [n, img.sectionData(n)]));
      img.close();
      const addrs = instructionAddresses(exe, 'outer').map(Number);
      const rnd = lcg(flags.length * 977);
      const started = Date.now();
      let notes = 0;
      for (let i = 0; i < 300; i++) {
        const target = ['.debug_info', '.debug_abbrev', '.debug_aranges', '.debug_rnglists', '.debug_line'][i % 5];
        const sections = new Map(original);
        const buf = original.get(target);
        if (buf) {
          let m = Buffer.from(buf);
          if (i % 7 === 0) m = m.subarray(0, rnd() % m.length);
          for (let k = 0; k < 1 + (i % 6); k++) if (m.length > 0) m[rnd() % m.length] = rnd() & 0xff;
          sections.set(target, m);
        }
        const d = new DwarfInfo((n) => sections.get(n) ?? null, `mutated-${i}`, {
          maxUnits: 10_000,
          maxDies: 200_000,
          maxDepth: 64,
          maxAbbrevs: 10_000,
          maxRanges: 10_000,
          maxOriginChain: 8,
          line: { maxRows: 100_000, maxOps: 1_000_000, maxFiles: 10_000 },
        });
        for (const a of addrs.slice(0, 12)) {
          const t = d.lineTableFor(a);
          t?.lookup(a);
          const s = d.scopesAt(a);
          if (s) for (const sc of s.scopes) expect(typeof sc.die).toBe('number');
        }
        notes += d.notes.length;
      }
      expect(notes).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(30_000);
    });
  }

  test('mutated symbol tables never throw', () => {
    const exe = compile('symprog', SYMPROG_C, { flags: ['-g', '-O2'] });
    const img = ElfImage.open(exe);
    const sym = img.sections.find((s) => s.name === '.symtab');
    const str = img.sections.find((s) => s.name === '.strtab');
    const symData = img.readSection(sym as NonNullable<typeof sym>);
    const strData = img.readSection(str as NonNullable<typeof str>);
    const rnd = lcg(5);
    for (let i = 0; i < 300; i++) {
      const m = Buffer.from(symData);
      for (let k = 0; k < 1 + (i % 20); k++) m[rnd() % m.length] = rnd() & 0xff;
      const t = SymbolTable.fromBuffers('symtab', 'mutated', i % 5 === 0 ? m.subarray(0, rnd() % m.length) : m, strData, img.sections);
      if (t) for (let k = 0; k < 20; k++) t.lookup(BigInt(rnd()));
    }
    img.close();
  });
});
