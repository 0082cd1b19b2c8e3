// Line tables (.debug_line, DWARF 4 and 5, plain and zlib-compressed) checked against gdb's
// `info line *ADDR` and binutils' addr2line for every instruction of the program's functions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile, haveTool, TEST_TMP } from '../../helpers/native';
import { DumpFormatError } from '../../../main/core/errors';
import { ElfImage } from '../../../main/core/elf';
import { parseLineProgram } from '../../../main/core/symbols/dwarf-line';
import { SymbolFile } from '../../../main/core/symbols/symbol-file';
import { addr2lineChains, gdbInfoLines, instructionAddresses, run, SYMPROG_C } from './programs';

const hasTools = haveTool('gcc') && haveTool('gdb') && haveTool('objdump') && haveTool('addr2line') && haveTool('objcopy');

const FUNCS = ['main', 'outer', 'real_fn', 'weak_fn', 'local_fn', 'blocker'];

function openFile(p: string): SymbolFile {
  const f = SymbolFile.open(p);
  if ('error' in f) throw new Error(f.error);
  return f;
}

function addressesOf(exe: string): bigint[] {
  return FUNCS.flatMap((fn) => instructionAddresses(exe, fn));
}

/** Our answer for every address: [line, file] as gdb would print them. */
function ours(file: SymbolFile, addrs: bigint[], lastRow = false): { line: number | null; file: string | null; fullPath: string | null }[] {
  const d = file.dwarf;
  if (!d) throw new Error('no DWARF');
  return addrs.map((a) => {
    const t = d.lineTableFor(Number(a));
    const row = t?.lookup(Number(a), { lastRow }) ?? null;
    const name = row && t ? t.fileName(row.file) : null;
    return { line: row?.line ?? null, file: name?.name ?? null, fullPath: name?.fullPath ?? null };
  });
}

const VARIANTS: { name: string; flags: string[]; compress?: 'gz' | 'objcopy'; objcopy?: string[]; noAddr2line?: boolean }[] = [
  { name: 'dwarf5-O0', flags: ['-g', '-O0'] },
  { name: 'dwarf4-O0', flags: ['-gdwarf-4', '-O0'] },
  { name: 'dwarf5-O2', flags: ['-g', '-O2'] },
  { name: 'dwarf4-O2', flags: ['-gdwarf-4', '-O2'] },
  { name: 'dwarf5-O2-gz', flags: ['-g', '-O2', '-gz=zlib'], compress: 'gz' },
  { name: 'dwarf4-O0-objcopy', flags: ['-gdwarf-4', '-O0'], compress: 'objcopy', objcopy: ['--compress-debug-sections=zlib'] },
  // Without .debug_aranges (as clang emits by default): units are found through their DIEs.
  { name: 'dwarf5-O2-no-aranges', flags: ['-g', '-O2'], objcopy: ['--remove-section=.debug_aranges'] },
  { name: 'dwarf4-O2-no-aranges', flags: ['-gdwarf-4', '-O2'], objcopy: ['--remove-section=.debug_aranges'] },
  // Split DWARF: the skeleton unit (DW_FORM_strx/addrx, rnglists) and the line table stay here.
  // binutils 2.40's addr2line cannot read split units (it prints ??); gdb can.
  { name: 'dwarf5-O2-split', flags: ['-g', '-O2', '-gsplit-dwarf'], noAddr2line: true },
];

describe.skipIf(!hasTools)('line tables vs gdb and addr2line', () => {
  for (const v of VARIANTS) {
    describe(v.name, () => {
      let exe: string;
      let addrs: bigint[];
      beforeAll(() => {
        exe = compile('symprog', SYMPROG_C, { flags: v.flags });
        if (v.objcopy) {
          const dir = path.join(TEST_TMP, 'symbols-objcopy', v.name);
          fs.mkdirSync(dir, { recursive: true });
          const out = path.join(dir, `symprog-${path.basename(path.dirname(exe))}`);
          if (!fs.existsSync(out)) run('objcopy', [...v.objcopy, exe, out]);
          exe = out;
        }
        addrs = addressesOf(exe);
      });

      test('debug sections are as the variant says', () => {
        const img = ElfImage.open(exe);
        try {
          const s = img.section('.debug_line');
          expect(s).toBeDefined();
          expect((s?.flags ?? 0n) & 0x800n).toBe(v.compress ? 0x800n : 0n);
          const f = openFile(exe);
          const t = f.dwarf?.lineTableFor(Number(addrs[0]));
          expect(t?.version).toBe(v.flags.includes('-gdwarf-4') ? 4 : 5);
        } finally {
          img.close();
        }
      });

      test('every instruction: same line and file as gdb `info line`', () => {
        expect(addrs.length).toBeGreaterThan(30);
        const g = gdbInfoLines(exe, addrs);
        const o = ours(openFile(exe), addrs);
        const bad = addrs
          .map((a, i) => ({ a: `0x${a.toString(16)}`, gdb: g[i], ours: { line: o[i].line, file: o[i].file } }))
          .filter((x) => x.gdb.line !== x.ours.line || x.gdb.file !== x.ours.file);
        expect(bad).toEqual([]);
      });

      // addr2line takes the last row at an address; gdb prefers a statement row at that
      // address (rows 52 stmt, 54 stmt, 52 non-stmt at one address: gdb says 54, addr2line
      // 52). `lastRow` gives addr2line's answer.
      test.skipIf(v.noAddr2line === true)('every instruction: same full path and line as addr2line (innermost, last row)', () => {
        const chains = addr2lineChains(exe, addrs);
        const o = ours(openFile(exe), addrs, true);
        const bad = addrs
          .map((a, i) => ({ a: `0x${a.toString(16)}`, addr2line: chains[i][0], ours: o[i] }))
          .filter((x) => x.addr2line.line !== x.ours.line || x.addr2line.file !== x.ours.fullPath);
        expect(bad).toEqual([]);
      });
    });
  }
});

describe.skipIf(!hasTools)('damaged line programs', () => {
  test('truncated and mutated programs end quickly with rows or a BadDwarf error, never a hang', () => {
    const exe = compile('symprog', SYMPROG_C, { flags: ['-g', '-O2'] });
    const img = ElfImage.open(exe);
    const line = img.sectionData('.debug_line') as Buffer;
    const lineStr = img.sectionData('.debug_line_str');
    const str = img.sectionData('.debug_str');
    img.close();
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const started = Date.now();
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      const buf = Buffer.from(line);
      const cut = i % 4 === 0 ? buf.subarray(0, rnd() % buf.length) : buf;
      for (let k = 0; k < 1 + (i % 8); k++) cut[rnd() % cut.length] = rnd() & 0xff;
      try {
        const t = parseLineProgram(cut, 0, { str, lineStr }, { compDir: '/x', name: 'y.c' }, 'mutated', { maxRows: 100_000, maxOps: 1_000_000, maxFiles: 10_000 });
        expect(t.rowCount).toBeLessThanOrEqual(100_000);
      } catch (e) {
        expect(e).toBeInstanceOf(DumpFormatError);
        expect((e as DumpFormatError).code).toBe('BadDwarf');
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe.skipIf(!hasTools)('line programs without .debug_info', () => {
  for (const flags of [
    ['-g', '-O2'],
    ['-gdwarf-4', '-O0'],
  ]) {
    test(`every line program is indexed by its sequences (${flags.join(' ')})`, () => {
      const exe = compile('symprog', SYMPROG_C, { flags });
      const dir = path.join(TEST_TMP, 'symbols-lines-only', flags.join('').replace(/\W+/g, ''));
      fs.mkdirSync(dir, { recursive: true });
      const only = path.join(dir, 'symprog');
      run('objcopy', ['--remove-section=.debug_info', '--remove-section=.debug_abbrev', '--remove-section=.debug_aranges', '--remove-section=.debug_rnglists', '--remove-section=.debug_ranges', exe, only]);
      const addrs = addressesOf(exe);
      const full = ours(openFile(exe), addrs);
      const bare = ours(openFile(only), addrs);
      expect(openFile(only).dwarf?.hasInfo).toBe(false);
      expect(bare.map((x) => x.line)).toEqual(full.map((x) => x.line));
      expect(bare.map((x) => x.fullPath)).toEqual(full.map((x) => x.fullPath));
    });
  }
});
