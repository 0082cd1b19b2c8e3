// Reads `readelf --debug-dump=frames-interp` output (GNU binutils 2.40): CIEs, FDEs and the
// rows of each FDE's unwind table, cell by cell, so our parser and interpreter can be checked
// against readelf's on every FDE of real libraries.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { computeRow, type CfaRule, type CfiSection, type CfiTables, type RegisterRule } from '../../../main/core/unwind';

export interface ReadelfCie {
  section: string;
  offset: number;
  augmentation: string;
  codeAlign: number;
  dataAlign: number;
  raRegister: number;
}

export interface ReadelfRow {
  loc: number;
  cfa: string;
  cells: string[];
}

export interface ReadelfFde {
  section: string;
  offset: number;
  cieOffset: number;
  pcBegin: number;
  pcEnd: number;
  columns: string[];
  rows: ReadelfRow[];
}

export interface ReadelfFrames {
  cies: ReadelfCie[];
  fdes: ReadelfFde[];
}

export function runReadelfFrames(file: string): string {
  const r = spawnSync('readelf', ['--debug-dump=frames-interp', '-W', file], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  // readelf exits 1 for unrelated complaints (libc.so.6: "Unable to find program interpreter
  // name") while printing every frame; only an empty listing is a failure.
  if (r.error || !r.stdout.includes('Contents of the')) throw new Error(`readelf failed on ${file}: ${r.stderr}`);
  return r.stdout;
}

/** Cells are left-aligned in 5+1 columns, but a register rule ("r9 (r9)") holds a space. */
function cellsOf(rest: string): string[] {
  return rest.match(/r\d+ \([a-z0-9]+\)|\S+/g) ?? [];
}

export function parseReadelfFrames(text: string): ReadelfFrames {
  const cies: ReadelfCie[] = [];
  const fdes: ReadelfFde[] = [];
  let section = '';
  let cur: ReadelfFde | null = null;
  for (const line of text.split('\n')) {
    const sec = /^Contents of the (\S+) section(?: \(loaded from [^)]*\))?:/.exec(line);
    if (sec) {
      section = sec[1];
      cur = null;
      continue;
    }
    const cie = /^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ CIE "([^"]*)" cf=(\d+) df=(-?\d+) ra=(\d+)/.exec(line);
    if (cie) {
      cies.push({ section, offset: parseInt(cie[1], 16), augmentation: cie[2], codeAlign: Number(cie[3]), dataAlign: Number(cie[4]), raRegister: Number(cie[5]) });
      cur = null;
      continue;
    }
    const fde = /^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ FDE cie=([0-9a-f]+) pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (fde) {
      cur = { section, offset: parseInt(fde[1], 16), cieOffset: parseInt(fde[2], 16), pcBegin: parseInt(fde[3], 16), pcEnd: parseInt(fde[4], 16), columns: [], rows: [] };
      fdes.push(cur);
      continue;
    }
    if (/^[0-9a-f]{8} ZERO terminator/.test(line)) {
      cur = null;
      continue;
    }
    if (!cur) continue;
    const head = /^\s+LOC\s+CFA\s*(.*)$/.exec(line);
    if (head) {
      cur.columns = head[1].trim().split(/\s+/).filter((s) => s.length > 0);
      continue;
    }
    const row = /^([0-9a-f]{16}) (\S+)\s*(.*)$/.exec(line);
    if (row) cur.rows.push({ loc: parseInt(row[1], 16), cfa: row[2], cells: cellsOf(row[3]) });
  }
  return { cies, fdes };
}

const REG_NAMES = ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'];
/** readelf's x86-64 register names (binutils dwarf.c, dwarf_regnames_x86_64) beyond rip. */
function readelfRegName(n: number): string {
  if (n < 17) return REG_NAMES[n];
  if (n <= 32) return `xmm${n - 17}`;
  if (n <= 40) return `st${n - 33}`;
  if (n <= 48) return `mm${n - 41}`;
  const named: Record<number, string> = { 49: 'rflags', 50: 'es', 51: 'cs', 52: 'ss', 53: 'ds', 54: 'fs', 55: 'gs', 58: 'fs.base', 59: 'gs.base', 62: 'tr', 63: 'ldtr', 64: 'mxcsr', 65: 'fcw', 66: 'fsw' };
  return named[n] ?? `r${n}`;
}

function columnRegister(name: string, raRegister: number): number | null {
  if (name === 'ra') return raRegister;
  for (let n = 0; n < 128; n++) if (readelfRegName(n) === name) return n;
  return null;
}

const signed = (v: number) => (v >= 0 ? `+${v}` : `${v}`);

function renderCfa(c: CfaRule): string {
  return c.kind === 'expression' ? 'exp' : `${readelfRegName(c.reg)}${signed(c.offset)}`;
}

function renderRule(rule: RegisterRule | undefined): string {
  if (!rule) return 'u';
  switch (rule.kind) {
    case 'undefined':
      return 'u';
    case 'sameValue':
      return 's';
    case 'offset':
      return `c${signed(rule.offset)}`;
    case 'valOffset':
      return `v${signed(rule.offset)}`;
    case 'register':
      return `r${rule.reg} (${readelfRegName(rule.reg)})`;
    case 'expression':
      return 'exp';
    case 'valExpression':
      return 'vexp';
  }
}

export interface ReadelfStats {
  fdes: number;
  rows: number;
  cells: number;
}

/**
 * Checks every CIE, FDE and row readelf prints against our tables. `bias` is added to readelf's
 * addresses (tables read from a dump's memory use runtime addresses).
 */
export function compareWithReadelf(tables: CfiTables, readelfText: string, bias = 0): ReadelfStats {
  const { cies, fdes } = parseReadelfFrames(readelfText);
  const stats: ReadelfStats = { fdes: 0, rows: 0, cells: 0 };
  const sectionOf = (name: string): CfiSection | null => (name === '.eh_frame' ? tables.ehFrame : name === '.debug_frame' ? tables.debugFrame : null);
  for (const c of cies) {
    const section = sectionOf(c.section);
    if (!section) continue;
    const ours = tables.cieAt(section, c.offset);
    expect({ aug: ours.augmentation, cf: ours.codeAlign, df: ours.dataAlign, ra: ours.raRegister }, `CIE ${c.section}+0x${c.offset.toString(16)}`).toEqual({
      aug: c.augmentation,
      cf: c.codeAlign,
      df: c.dataAlign,
      ra: c.raRegister,
    });
  }
  for (const f of fdes) {
    const section = sectionOf(f.section);
    if (!section) continue;
    const where = `FDE ${f.section}+0x${f.offset.toString(16)}`;
    const fde = tables.fdeAt(section, f.offset);
    expect({ begin: fde.pcBegin, end: fde.pcEnd, cie: fde.cie.offset }, where).toEqual({ begin: f.pcBegin + bias, end: f.pcEnd + bias, cie: f.cieOffset });
    stats.fdes++;
    compareRows(section, f, where, stats, tables, bias);
    // The lookup path (.eh_frame_hdr's binary search, or the index) finds this FDE again.
    if (f.pcEnd > f.pcBegin && f.pcBegin !== 0) {
      for (const pc of [f.pcBegin + bias, f.pcEnd - 1 + bias]) {
        const found = tables.findFde(pc);
        expect(found?.fde.offset, `${where}: lookup of 0x${pc.toString(16)}`).toBe(f.offset);
      }
    }
  }
  return stats;
}

function compareRows(section: CfiSection, f: ReadelfFde, where: string, stats: ReadelfStats, tables: CfiTables, bias: number): void {
  const last = new Map<number, ReadelfFde['rows'][number]>();
  for (const r of f.rows) last.set(r.loc, r);
  const fde = tables.fdeAt(section, f.offset);
  for (const r of last.values()) {
    const row = computeRow(section, fde, r.loc + bias);
    const at = `${where} at 0x${r.loc.toString(16)}`;
    expect(renderCfa(row.cfa), `${at}: CFA`).toBe(r.cfa);
    f.columns.forEach((col, i) => {
      const reg = columnRegister(col, fde.cie.raRegister);
      if (reg === null) return;
      expect(renderRule(row.registers.get(reg)), `${at}: ${col}`).toBe(r.cells[i]);
      stats.cells++;
    });
    stats.rows++;
  }
}
