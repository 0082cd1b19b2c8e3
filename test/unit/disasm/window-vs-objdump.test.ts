// The disassembler against objdump on real binaries: a program compiled here at -O2, the C
// library and the C++ library of this machine. Every instruction of the functions tried must
// start at the address objdump gives and have the same operation; the window around a pc must be
// objdump's instructions around it, whether decoded from the function's start or guessed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { disassembleWindow, loadX86Decoder, type CsInstruction, type FunctionAt, type X86Decoder } from '../../../main/core/disasm';
import { compile, haveTool } from '../../helpers/native';
import { baseMnemonic, functionSymbols, LinkImage, objdumpRange, type FunctionSymbol, type ObjdumpLine } from './objdump';

const PROGRAM = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
struct node { struct node *next; double w; int key; };
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
__attribute__((noinline)) double weigh(struct node *n, int k) {
  double s = 0;
  for (; n; n = n->next) s += n->key == k ? sqrt(n->w) : n->w * 1.5;
  return s;
}
__attribute__((noinline)) int classify(int c) {
  switch (c) { case 0: return 7; case 1: return 11; case 2: return 13; case 3: return 17; case 4: return 19; case 5: return 23; default: return c * 3; }
}
__attribute__((noinline)) void fill(char *dst, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; dst[i] = (char)(seed >> 16); }
}
int main(int argc, char **argv) {
  int v[64];
  for (int i = 0; i < 64; i++) v[i] = (i * 37) % 64;
  qsort(v, 64, sizeof v[0], cmp);
  struct node *head = 0;
  for (int i = 0; i < 10; i++) { struct node *n = malloc(sizeof *n); n->next = head; n->w = i; n->key = i % 3; head = n; }
  char buf[128];
  fill(buf, sizeof buf, (unsigned)argc);
  printf("%f %d %d %s\n", weigh(head, argc), classify(argc), v[3], argv[0] + (buf[0] & 1));
  return memcmp(buf, buf + 1, 4) > 0;
}
`;

interface Binary {
  name: string;
  file: string;
  image: LinkImage;
  functions: FunctionSymbol[];
  listing: Map<bigint, ObjdumpLine>;
}

const LIBS = ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6'].filter((f) => fs.existsSync(f));

/** Up to `n` functions spread over the list, in order. */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]);
}

function load(name: string, file: string, dynamic: boolean, max: number): Binary {
  const all = functionSymbols(file, dynamic).filter((f) => f.size < 64 * 1024);
  // A contiguous run keeps objdump's output (one call) small.
  const startAt = dynamic ? Math.floor(all.length / 3) : 0;
  const functions = spread(all.slice(startAt, startAt + max * 4), max);
  const first = functions[0].start;
  const last = functions[functions.length - 1];
  const listing = new Map(objdumpRange(file, first, last.start + BigInt(last.size)).map((l) => [l.address, l]));
  return { name, file, image: new LinkImage(file), functions, listing };
}

function decodeAll(decoder: X86Decoder, img: LinkImage, start: bigint, size: number, syntax: 'att' | 'intel' = 'intel'): CsInstruction[] {
  const out: CsInstruction[] = [];
  decoder.decode(img.read(start, size), start, syntax, (i) => {
    out.push(i);
    return true;
  });
  return out;
}

describe.skipIf(!haveTool('objdump') || !haveTool('nm'))('the disassembler against objdump', () => {
  let decoder: X86Decoder;
  const binaries: Binary[] = [];

  beforeAll(async () => {
    decoder = await loadX86Decoder();
    const exe = compile('disasm-o2', PROGRAM, { flags: ['-g', '-O2', '-fno-math-errno'] });
    binaries.push(load('program -O2', exe, false, 1000));
    for (const lib of LIBS) binaries.push(load(lib.split('/').pop() as string, lib, true, 150));
  }, 120_000);

  afterAll(() => binaries.forEach((b) => b.image.close()));

  it('decodes every instruction of each function where objdump does, with the same operation', () => {
    const report: string[] = [];
    for (const b of binaries) {
      let compared = 0;
      let sameMnemonic = 0;
      const misses: string[] = [];
      for (const f of b.functions) {
        const ours = decodeAll(decoder, b.image, f.start, f.size);
        const theirs = [...b.listing.values()].filter((l) => l.address >= f.start && l.address < f.start + BigInt(f.size));
        expect(
          ours.map((i) => i.address.toString(16)),
          `${b.name} ${f.name}`,
        ).toEqual(theirs.map((l) => l.address.toString(16)));
        for (let k = 0; k < ours.length; k++) {
          compared++;
          const a = baseMnemonic(ours[k].mnemonic);
          const o = baseMnemonic(theirs[k].text);
          if (a === o) sameMnemonic++;
          else if (misses.length < 10) misses.push(`${ours[k].address.toString(16)}: capstone "${ours[k].mnemonic} ${ours[k].op_str}" objdump "${theirs[k].text}"`);
        }
      }
      report.push(`${b.name}: ${b.functions.length} functions, ${compared} instructions, same operation ${sameMnemonic}`, ...misses.map((m) => `  ${m}`));
      expect(compared, b.name).toBeGreaterThan(100);
      // Names differ only where the two disassemblers spell one instruction two ways.
      expect(sameMnemonic / compared, `${b.name}\n${report.join('\n')}`).toBeGreaterThanOrEqual(0.998);
    }
    console.log(report.join('\n'));
  });

  it('shows objdump\'s instructions around a pc, decoded from the function start', () => {
    let windows = 0;
    for (const b of binaries) {
      const symbolAt = symbolLookup(b.functions);
      for (const f of spread(b.functions, 60)) {
        const insns = [...b.listing.values()].filter((l) => l.address >= f.start && l.address < f.start + BigInt(f.size));
        if (insns.length < 3) continue;
        const k = Math.floor(insns.length / 2);
        const pc = insns[k].address;
        const w = disassembleWindow({ pc, before: 5, after: 5, syntax: 'intel', returnAddress: false, read: (a, n) => b.image.read(a, n), functionAt: symbolAt, decoder });
        expect(w.unavailable).toBeNull();
        expect(w.start, `${b.name} ${f.name}`).toBe('function');
        const want = insns.slice(Math.max(0, k - 5), k + 6).map((l) => `0x${l.address.toString(16)}`);
        // After the function's end the window runs on into the next bytes, as lldb does.
        expect(w.instructions.map((i) => i.address).slice(0, want.length), `${b.name} ${f.name}`).toEqual(want);
        const cur = w.instructions.filter((i) => i.current);
        expect(cur.map((i) => i.address)).toEqual([`0x${pc.toString(16)}`]);
        expect(cur[0].offset).toBe(Number(pc - f.start));
        windows++;
      }
    }
    expect(windows).toBeGreaterThan(50);
  });

  it('counts offsets from the next function\'s start once the window runs into it, and names it there', () => {
    const b = binaries[0];
    const symbolAt = symbolLookup(b.functions);
    const sorted = [...b.functions].sort((x, y) => (x.start < y.start ? -1 : 1));
    let checked = 0;
    for (let n = 0; n + 1 < sorted.length; n++) {
      const f = sorted[n];
      const g = sorted[n + 1];
      const last = [...b.listing.values()].filter((l) => l.address >= f.start && l.address < f.start + BigInt(f.size)).pop();
      if (!last || g.start - (f.start + BigInt(f.size)) > 16n) continue;
      const w = disassembleWindow({ pc: last.address, before: 2, after: 8, syntax: 'att', returnAddress: false, read: (a, k) => b.image.read(a, k), functionAt: symbolAt, decoder });
      const into = w.instructions.find((i) => BigInt(i.address) === g.start);
      if (!into) continue;
      expect(into.offset, `${g.name}`).toBe(0);
      expect(into.startsFunction).toContain(g.name);
      for (const i of w.instructions) if (BigInt(i.address) > g.start) expect(i.offset).toBe(Number(BigInt(i.address) - g.start));
      for (const i of w.instructions) if (BigInt(i.address) <= last.address) expect(i.startsFunction ?? null).toBeNull();
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('without a symbol, guesses the instructions before the pc, and lands on objdump\'s in most cases', () => {
    let tried = 0;
    let exact = 0;
    for (const b of binaries) {
      for (const f of spread(b.functions, 60)) {
        const insns = [...b.listing.values()].filter((l) => l.address >= f.start && l.address < f.start + BigInt(f.size));
        if (insns.length < 12) continue;
        const k = insns.length - 3;
        const pc = insns[k].address;
        const w = disassembleWindow({ pc, before: 6, after: 2, syntax: 'intel', returnAddress: false, read: (a, n) => b.image.read(a, n), functionAt: () => null, decoder });
        tried++;
        // The pc and what follows are exact whatever the guess.
        const at = w.instructions.findIndex((i) => i.current);
        expect(w.instructions[at].address).toBe(`0x${pc.toString(16)}`);
        expect(w.instructions.slice(at, at + 3).map((i) => i.address)).toEqual(insns.slice(k, k + 3).map((l) => `0x${l.address.toString(16)}`));
        expect(['guessed', 'pc']).toContain(w.start);
        expect(w.notes.join(' ')).toMatch(/guessed/);
        const before = w.instructions.slice(0, at).map((i) => i.address);
        if (before.length > 0 && before.join() === insns.slice(k - before.length, k).map((l) => `0x${l.address.toString(16)}`).join()) exact++;
      }
    }
    expect(tried).toBeGreaterThan(50);
    // x86 decodings resynchronise within a few instructions: nearly every guess is right.
    expect(exact / tried).toBeGreaterThan(0.9);
  });

  it('in a caller\'s frame, marks the call that ends at the return address and symbolizes its target', () => {
    const b = binaries[0];
    const symbolAt = symbolLookup(b.functions);
    const main = b.functions.find((f) => f.name === 'main') as FunctionSymbol;
    const calls = [...b.listing.values()].filter((l) => l.address >= main.start && l.address < main.start + BigInt(main.size) && /^call\s+[0-9a-f]+ </.test(l.text));
    expect(calls.length).toBeGreaterThan(2);
    for (const c of calls) {
      const insns = [...b.listing.values()];
      const ret = insns[insns.findIndex((l) => l.address === c.address) + 1].address;
      const w = disassembleWindow({ pc: ret, before: 3, after: 2, syntax: 'att', returnAddress: true, read: (a, n) => b.image.read(a, n), functionAt: symbolAt, decoder });
      const site = w.instructions.filter((i) => i.callSite);
      expect(site.map((i) => i.address)).toEqual([`0x${c.address.toString(16)}`]);
      expect(site[0].mnemonic).toBe('callq');
      // objdump names the target: `call 401030 <qsort@plt>` or `call 401230 <weigh>`
      const target = /^call\s+([0-9a-f]+) <([^>+@]+)/.exec(c.text) as RegExpExecArray;
      expect(site[0].target?.address).toBe(`0x${target[1]}`);
      const named = b.functions.find((f) => f.start === BigInt(`0x${target[1]}`));
      if (named) expect(site[0].target?.symbol).toBe(named.name);
    }
  });

  it('prints AT&T as lldb does (the article\'s __lll_lock_wait), and Intel on request', async () => {
    // movl %edx,%eax; xchgl %eax,(%rdi); testl %eax,%eax; jne -15 — from the article's `thread select 16`
    const bytes = Uint8Array.from([0x89, 0xd0, 0x87, 0x07, 0x85, 0xc0, 0x75, 0xf1]);
    const base = 0x7f28a1171280n;
    const pc = 0x7f28a117129cn;
    const fn: FunctionAt = { start: base, name: '__lll_lock_wait', module: 'libpthread.so.0' };
    const read = (a: bigint, n: number) => (a >= pc && a < pc + 8n ? bytes.subarray(Number(a - pc), Number(a - pc) + n) : new Uint8Array(0));
    const w = disassembleWindow({ pc, before: 0, after: 3, syntax: 'att', returnAddress: false, read, functionAt: () => fn, decoder });
    expect(w.instructions.map((i) => `${i.current ? '->' : '  '}  ${i.address} <+${i.offset}>: ${i.mnemonic} ${i.operands}`)).toEqual([
      '->  0x7f28a117129c <+28>: movl %edx, %eax',
      '    0x7f28a117129e <+30>: xchgl %eax, (%rdi)',
      '    0x7f28a11712a0 <+32>: testl %eax, %eax',
      '    0x7f28a11712a2 <+34>: jne 0x7f28a1171295',
    ]);
    expect(w.instructions[3].target).toEqual({ address: '0x7f28a1171295', kind: 'branch', symbol: '<+21>' });
    // The function's start is not readable here: the window says the earlier instructions are unknown.
    expect(w.notes.join(' ')).toMatch(/not readable/);
    const intel = disassembleWindow({ pc, before: 0, after: 1, syntax: 'intel', returnAddress: false, read, functionAt: () => fn, decoder });
    expect(intel.instructions.map((i) => `${i.mnemonic} ${i.operands}`)).toEqual(['mov eax, edx', 'xchg dword ptr [rdi], eax']);
  });

  it('says when the code is missing, and never throws on bytes that are not code', () => {
    const gone = disassembleWindow({ pc: 0x1000n, before: 4, after: 4, syntax: 'att', returnAddress: false, read: () => new Uint8Array(0), functionAt: () => null, decoder });
    expect(gone.instructions).toEqual([]);
    expect(gone.unavailable).toMatch(/not in the dump/);
    let seed = 12345;
    const noise = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    for (let i = 0; i < 50; i++) {
      const pc = 0x10000n + BigInt(500 + i * 61);
      const w = disassembleWindow({
        pc,
        before: 8,
        after: 8,
        syntax: i % 2 ? 'att' : 'intel',
        returnAddress: i % 3 === 0,
        read: (a, n) => (a >= 0x10000n ? noise.subarray(Number(a - 0x10000n), Number(a - 0x10000n) + n) : new Uint8Array(0)),
        functionAt: () => (i % 4 === 0 ? { start: 0x10000n, name: 'noise', module: 'x' } : null),
        decoder,
      });
      expect(w.instructions.filter((x) => x.current)).toHaveLength(1);
      expect(w.instructions.length).toBeLessThanOrEqual(17);
    }
  });
});

/** functionAt over nm's symbols (link-time addresses). */
function symbolLookup(fns: FunctionSymbol[]): (addr: bigint) => FunctionAt | null {
  return (addr) => {
    let lo = 0;
    let hi = fns.length - 1;
    let best: FunctionSymbol | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fns[mid].start <= addr) {
        best = fns[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best && addr < best.start + BigInt(best.size) ? { start: best.start, name: best.name, module: null } : null;
  };
}
