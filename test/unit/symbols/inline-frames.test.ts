// Inline frames from .debug_info (DWARF 4 and 5, -O0 with always_inline and -O2) checked
// against `addr2line -i -f` for every instruction of the functions that inline others.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile, haveTool, TEST_TMP } from '../../helpers/native';
import { resolveModule, type ModuleSymbols } from '../../../main/core/symbols';
import { addr2lineChains, gdbInfoLines, instructionAddresses, moduleForFile, run, SYMPROG_C } from './programs';

const hasTools = haveTool('gcc') && haveTool('addr2line') && haveTool('objdump') && haveTool('gdb');

const VARIANTS: { name: string; flags: string[]; objcopy?: string[]; addr2line?: string }[] = [
  { name: 'dwarf5-O0 (always_inline)', flags: ['-g', '-O0'] },
  { name: 'dwarf4-O0 (always_inline)', flags: ['-gdwarf-4', '-O0'] },
  { name: 'dwarf5-O2', flags: ['-g', '-O2'] },
  { name: 'dwarf4-O2', flags: ['-gdwarf-4', '-O2'] },
  { name: 'dwarf5-O2-gz', flags: ['-g', '-O2', '-gz=zlib'] },
  { name: 'dwarf5-O2 without .debug_aranges', flags: ['-g', '-O2'], objcopy: ['--remove-section=.debug_aranges'] },
  { name: 'dwarf4-O2 without .debug_aranges', flags: ['-gdwarf-4', '-O2'], objcopy: ['--remove-section=.debug_aranges'] },
  // Split DWARF: functions and inlined calls come from the .dwo file next to the source.
  // binutils 2.40's addr2line cannot read .dwo files; LLVM's can (same output format).
  { name: 'dwarf5-O2 split (.dwo)', flags: ['-g', '-O2', '-gsplit-dwarf'], addr2line: 'llvm-addr2line' },
];

describe.skipIf(!hasTools)('inline frames vs addr2line -i', () => {
  for (const v of VARIANTS) {
    describe.skipIf(v.addr2line !== undefined && !haveTool(v.addr2line))(v.name, () => {
      let exe: string;
      let syms: ModuleSymbols;
      let addrs: bigint[];
      const bias = 0x555555554000n;
      beforeAll(() => {
        exe = compile('symprog', SYMPROG_C, { flags: v.flags });
        if (v.objcopy) {
          const dir = path.join(TEST_TMP, 'symbols-inline-objcopy', v.name.replace(/\W+/g, '-'));
          fs.mkdirSync(dir, { recursive: true });
          const out = path.join(dir, 'symprog');
          run('objcopy', [...v.objcopy, exe, out]);
          exe = out;
        }
        syms = resolveModule(moduleForFile(exe, bias), { debugDirs: [] });
        addrs = ['outer', 'main'].flatMap((f) => instructionAddresses(exe, f));
      });

      test('the module resolves to its own file with DWARF', () => {
        expect(syms.resolution.quality).toBe('dwarf');
        expect(syms.resolution.symbolFile?.foundBy).toBe('code-file');
        expect(syms.codeFilePath).toBe(exe);
      });

      test('function chain and call sites equal addr2line -i for every instruction', () => {
        const chains = addr2lineChains(exe, addrs, v.addr2line);
        let inlinedSeen = 0;
        const bad: unknown[] = [];
        addrs.forEach((a, i) => {
          const l = syms.lookup(a + bias);
          const ourNames = [...l.inlined.map((f) => f.function), l.function];
          const theirNames = chains[i].map((c) => c.fn);
          // Call-site lines: every level but the innermost (whose line is the pc's own row).
          const ourCallLines = [...l.inlined.slice(1).map((f) => f.line), l.inlined.length > 0 ? l.line : null].filter((x) => x !== null);
          const theirCallLines = chains[i].slice(1).map((c) => c.line);
          if (l.inlined.length > 0) inlinedSeen++;
          if (JSON.stringify(ourNames) !== JSON.stringify(theirNames) || JSON.stringify(ourCallLines) !== JSON.stringify(theirCallLines)) {
            bad.push({ a: `0x${a.toString(16)}`, ourNames, theirNames, ourCallLines, theirCallLines });
          }
        });
        expect(bad).toEqual([]);
        expect(inlinedSeen).toBeGreaterThan(3);
      });

      test("the innermost frame's line is gdb's `info line`", () => {
        const g = gdbInfoLines(exe, addrs);
        const bad = addrs
          .map((a, i) => {
            const l = syms.lookup(a + bias);
            const innermost = l.inlined[0] ?? l;
            return { a: `0x${a.toString(16)}`, gdb: g[i], ours: { line: innermost.line, file: innermost.file } };
          })
          .filter((x) => x.gdb.line !== x.ours.line || x.gdb.file !== x.ours.file);
        expect(bad).toEqual([]);
      });
    });
  }
});

describe.skipIf(!hasTools || !haveTool('dwz'))('dwz-compressed DWARF (.gnu_debugaltlink supplementary file)', () => {
  for (const flags of [
    ['-g', '-O2'],
    ['-gdwarf-4', '-O2'],
  ]) {
    test(`names, files and inline chains through the common file (${flags.join(' ')})`, () => {
      const original = compile('symprog', SYMPROG_C, { flags });
      const dir = path.join(TEST_TMP, 'symbols-dwz', flags.join('').replace(/\W+/g, ''));
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      fs.copyFileSync(original, a);
      fs.copyFileSync(original, b);
      run('dwz', ['-m', path.join(dir, 'common.debug'), '-M', path.join(dir, 'common.debug'), a, b]);
      const syms = resolveModule(moduleForFile(a, 0n), { debugDirs: [] });
      expect(syms.resolution.notes.join('\n')).not.toMatch(/supplementary file .* was not found/);
      const addrs = ['outer', 'main'].flatMap((f) => instructionAddresses(a, f));
      // dwz only moves DWARF around: the chains must be those of the file before dwz (binutils'
      // addr2line does not follow DW_FORM_GNU_ref_alt into the common file); gdb reads both.
      const chains = addr2lineChains(original, addrs);
      const g = gdbInfoLines(a, addrs);
      expect(gdbInfoLines(original, addrs)).toEqual(g);
      let inlined = 0;
      addrs.forEach((addr, i) => {
        const l = syms.lookup(addr);
        if (l.inlined.length > 0) inlined++;
        expect([...l.inlined.map((f) => f.function), l.function], `0x${addr.toString(16)}`).toEqual(chains[i].map((c) => c.fn));
        const innermost = l.inlined[0] ?? l;
        expect({ line: innermost.line, file: innermost.file }, `0x${addr.toString(16)}`).toEqual(g[i]);
      });
      expect(inlined).toBeGreaterThan(3);
    });
  }
});
