// Reads `readelf --debug-dump=frames-interp` output (GNU binutils 2.40): CIEs, FDEs and the
// rows of each FDE's unwind table, cell by cell, so our parser and interpreter can be checked
// against readelf's on every FDE of real libraries.
import { spawnSync } from 'node:child_process';

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
