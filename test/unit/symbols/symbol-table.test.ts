// .symtab/.dynsym lookup on programs built here, checked against nm and gdb's `info symbol`:
// aliases kept together with the global name shown, weak and local symbols, a size-0
// assembly function, padding between functions, libc's aliases, and the limits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile, haveTool, TEST_TMP } from '../../helpers/native';
import { ElfImage } from '../../../main/core/elf';
import { SymbolTable } from '../../../main/core/symbols/symbol-table';
import { gdbInfoSymbols, nm, run, SYMPROG_C } from './programs';

const hasTools = haveTool('gcc') && haveTool('nm') && haveTool('gdb') && haveTool('strip');

describe.skipIf(!hasTools)('SymbolTable', () => {
  let exe: string;
  let table: SymbolTable;
  beforeAll(() => {
    exe = compile('symprog', SYMPROG_C, { flags: ['-g', '-O0'] });
    const img = ElfImage.open(exe);
    table = SymbolTable.fromImage(img, 'symtab') as SymbolTable;
    img.close();
  });

  test('every function nm lists is found at its address and inside it', () => {
    const funcs = nm(exe).filter((s) => /[TtWw]/.test(s.type) && s.size > 0n);
    expect(funcs.length).toBeGreaterThan(8);
    for (const f of funcs) {
      for (const off of [0n, f.size / 2n, f.size - 1n]) {
        const m = table.lookup(f.address + off);
        expect(m, `${f.name}+${off}`).not.toBeNull();
        expect(m?.aliases).toContain(f.name);
        expect(m?.offset).toBe(off);
        expect(m?.address).toBe(f.address);
      }
    }
  });

  test('aliases share an address; the global name is shown and every name is kept', () => {
    const real = nm(exe).find((s) => s.name === 'real_fn');
    const m = table.lookup((real?.address ?? 0n) + 2n);
    expect(m?.aliases.sort()).toEqual(['alias_fn', 'real_fn']);
    expect(['alias_fn', 'real_fn']).toContain(m?.name);
    expect(m?.offset).toBe(2n);
  });

  test('weak, local and size-0 assembly symbols', () => {
    const syms = nm(exe);
    const weak = syms.find((s) => s.name === 'weak_fn');
    const local = syms.find((s) => s.name === 'local_fn');
    const asm = syms.find((s) => s.name === 'asm_nosize');
    expect(table.lookup(weak?.address ?? 0n)?.name).toBe('weak_fn');
    expect(table.lookup(local?.address ?? 0n)?.name).toBe('local_fn');
    // asm_nosize has no .size: its range runs to the next symbol, and it says so.
    const m = table.lookup((asm?.address ?? 0n) + 1n);
    expect(m?.name).toBe('asm_nosize');
    expect(m?.sizeGuessed).toBe(true);
  });

  test('agrees with gdb `info symbol` on every function start and middle', () => {
    const funcs = nm(exe).filter((s) => /[TtWw]/.test(s.type) && s.size > 0n);
    const addrs = funcs.flatMap((f) => [f.address, f.address + f.size / 2n]);
    const gdb = gdbInfoSymbols(exe, addrs);
    addrs.forEach((a, i) => {
      const m = table.lookup(a);
      const g = gdb[i];
      expect(g.name, `gdb at 0x${a.toString(16)}`).not.toBeNull();
      expect(m?.aliases, `0x${a.toString(16)}`).toContain(g.name);
      expect(Number(m?.offset)).toBe(g.offset);
    });
  });

  test('addresses outside every function find nothing', () => {
    expect(table.lookup(0n)).toBeNull();
    expect(table.lookup(0x10n)).toBeNull();
    expect(table.lookup(1n << 60n)).toBeNull();
  });

  test('a stripped executable still has .dynsym (exported names only)', () => {
    const dir = path.join(TEST_TMP, 'symtab-stripped');
    fs.mkdirSync(dir, { recursive: true });
    const stripped = path.join(dir, 'symprog-stripped');
    run('strip', ['--strip-all', '-o', stripped, exe]);
    const img = ElfImage.open(stripped);
    try {
      expect(SymbolTable.fromImage(img, 'symtab')).toBeNull();
      // A PIE executable exports few functions; libc's dynsym is the real test below.
      const dyn = SymbolTable.fromImage(img, 'dynsym');
      expect(dyn === null || dyn.size >= 0).toBe(true);
    } finally {
      img.close();
    }
  });

  test('limits: only the first maxSymbols entries are read, with a note', () => {
    const img = ElfImage.open(exe);
    try {
      const t = SymbolTable.fromImage(img, 'symtab', { maxSymbols: 10, maxNameLength: 4, maxAliases: 1 });
      expect(t === null || t.size <= 10).toBe(true);
      if (t) {
        expect(t.notes.join('\n')).toMatch(/only the first 10/);
        for (const e of t.all()) {
          expect(e.names.length).toBe(1);
          for (const n of e.names) expect(n.length).toBeLessThanOrEqual(4);
        }
      }
    } finally {
      img.close();
    }
  });
});

const LIBC = '/lib/x86_64-linux-gnu/libc.so.6';

describe.skipIf(!fs.existsSync(LIBC) || !haveTool('gdb'))('libc symbols', () => {
  test('.dynsym of libc: pthread_mutex_lock shown, all versions of the name kept', () => {
    const img = ElfImage.open(LIBC);
    try {
      const dyn = SymbolTable.fromImage(img, 'dynsym') as SymbolTable;
      expect(dyn.size).toBeGreaterThan(1000);
      const a = dyn.addressOf('pthread_mutex_lock') as bigint;
      expect(a).not.toBeNull();
      const m = dyn.lookup(a + 16n);
      expect(m?.name).toBe('pthread_mutex_lock');
      expect(m?.aliases).toContain('__pthread_mutex_lock');
      expect(m?.offset).toBe(16n);
      expect(gdbInfoSymbols(LIBC, [a + 16n])[0]).toEqual({ name: 'pthread_mutex_lock', offset: 16 });
    } finally {
      img.close();
    }
  });
});
