// Test programs for the symbols tests, and small helpers to ask the system's own tools
// (nm, objdump, addr2line, c++filt, gdb) about the binaries they build.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CoreModule } from '../../../main/core/elf';
import { C_PREAMBLE } from '../../helpers/programs';

/**
 * A C program with inline functions (always_inline, so they inline at -O0 too), an alias,
 * a weak symbol, a local function, and a hand-written assembly function without a size.
 * It prints its tids and `ready`, then blocks, so it can also be dumped.
 */
export const SYMPROG_C =
  C_PREAMBLE +
  String.raw`
static volatile int counter;
static inline __attribute__((always_inline)) int inner_add(int a, int b) {
  counter += a;
  return a * b + counter;
}
static inline __attribute__((always_inline)) int middle(int x) {
  int r = inner_add(x, x + 1);
  r ^= inner_add(r, 3);
  return r;
}
__attribute__((noinline)) int outer(int x) {
  int s = 0;
  for (int i = 0; i < x; i++)
    s += middle(i);
  return s;
}
int real_fn(int x) { return x * 3 + 1; }
int alias_fn(int x) __attribute__((alias("real_fn")));
__attribute__((weak)) int weak_fn(int x) { return x - 1; }
static __attribute__((noinline)) int local_fn(int x) { return x + counter; }
__asm__(".text\n.globl asm_nosize\n.type asm_nosize,@function\nasm_nosize:\n nop\n nop\n ret\n");
extern void asm_nosize(void);
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *blocker(void *arg) {
  (void)arg;
  report_tid("blocker");
  pthread_mutex_lock(&m);
  return NULL;
}
int main(int argc, char **argv) {
  (void)argv;
  int v = outer(argc + 3) + real_fn(argc) + alias_fn(2) + weak_fn(3) + local_fn(4);
  asm_nosize();
  pthread_mutex_lock(&m);
  pthread_t t;
  pthread_create(&t, NULL, blocker, NULL);
  report_tid("main");
  usleep(100000);
  report_ready();
  printf("v %d\n", v);
  fflush(stdout);
  pthread_join(t, NULL);
  return 0;
}
`;

/** A C++ program whose symbols exercise the demangler: namespaces, templates, lambdas, operators, ABI tags. */
export const CXXPROG_CPP = String.raw`
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
namespace outer_ns {
namespace inner {
template <typename T> struct Box {
  T v;
  __attribute__((noinline)) T get() const { return v; }
  template <typename U> __attribute__((noinline)) U as() const { return static_cast<U>(v); }
};
struct Widget {
  int n = 1;
  virtual ~Widget() {}
  virtual int run(int x);
  __attribute__((noinline)) explicit operator bool() const { return n != 0; }
  __attribute__((noinline)) Widget &operator+=(const Widget &o) { n += o.n; return *this; }
  static int count;
};
int Widget::count = 0;
int Widget::run(int x) {
  auto f = [x](int y) { return x + y; };
  std::function<int(int)> g = [&](int z) { return f(z) * n; };
  return g(x);
}
__attribute__((noinline)) std::string label(const std::map<std::string, std::vector<int>> &m) {
  return m.empty() ? std::string("none") : m.begin()->first;
}
__attribute__((noinline)) std::string make_name(int n) { return std::string(static_cast<size_t>(n), 'x'); }
template <typename F> __attribute__((noinline)) int apply_twice(F f, int x) { return f(f(x)); }
}  // namespace inner
}  // namespace outer_ns
int main(int argc, char **) {
  using namespace outer_ns::inner;
  Box<int> b{argc};
  Box<double> d{2.5};
  Widget w;
  w += w;
  std::map<std::string, std::vector<int>> m{{"k", {1, 2}}};
  auto up = std::make_unique<Widget>();
  int r = b.get() + static_cast<int>(d.get()) + b.as<long>() + w.run(argc) + (bool(w) ? 1 : 0) + up->run(2);
  r += apply_twice([](int x) { return x * 2; }, r);
  std::printf("%d %s %s\n", r, label(m).c_str(), make_name(3).c_str());
  return 0;
}
`;

export function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export interface NmSymbol {
  address: bigint;
  size: bigint;
  type: string;
  name: string;
}

/** `nm -S --defined-only` of a file (the .symtab, or .dynsym with `dynamic`). */
export function nm(file: string, dynamic = false): NmSymbol[] {
  const out = run('nm', ['-S', '--defined-only', ...(dynamic ? ['-D'] : []), file]);
  const syms: NmSymbol[] = [];
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]+) (?:([0-9a-f]+) )?(\w) (\S+)$/.exec(line.trim());
    if (m) syms.push({ address: BigInt(`0x${m[1]}`), size: m[2] ? BigInt(`0x${m[2]}`) : 0n, type: m[3], name: m[4] });
  }
  return syms;
}

/** Instruction addresses of one function, from objdump's disassembly. */
export function instructionAddresses(file: string, fn: string): bigint[] {
  const out = run('objdump', ['-d', '--no-show-raw-insn', `--disassemble=${fn}`, file]);
  const addrs: bigint[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s+([0-9a-f]+):\s/.exec(line);
    if (m) addrs.push(BigInt(`0x${m[1]}`));
  }
  return addrs;
}

export interface GdbLine {
  line: number | null;
  file: string | null;
}

/**
 * gdb's `info line *ADDR` for many addresses in one batch run on a file (or a file and a core).
 * Returns one answer per address, in order.
 */
export function gdbInfoLines(file: string, addrs: bigint[], core?: string): GdbLine[] {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set width 0'];
  for (const a of addrs) args.push('-ex', `echo @@@\\n`, '-ex', `info line *0x${a.toString(16)}`);
  args.push(file);
  if (core) args.push(core);
  const r = spawnSync('gdb', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const parts = r.stdout.split('@@@\n').slice(1);
  return parts.map((p) => {
    const m = /Line (\d+) of "([^"]+)"/.exec(p);
    return m ? { line: Number(m[1]), file: m[2] } : { line: null, file: null };
  });
}

/** gdb's `info symbol ADDR` answers: the name, or null for "No symbol matches". */
export function gdbInfoSymbols(file: string, addrs: bigint[], core?: string): { name: string | null; offset: number }[] {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set width 0', '-ex', 'set print demangle on', '-ex', 'set print asm-demangle on'];
  for (const a of addrs) args.push('-ex', `echo @@@\\n`, '-ex', `info symbol 0x${a.toString(16)}`);
  args.push(file);
  if (core) args.push(core);
  const r = spawnSync('gdb', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const parts = r.stdout.split('@@@\n').slice(1);
  return parts.map((p) => {
    const m = /^(.+?)(?: \+ (\d+))? in section /m.exec(p);
    return m ? { name: m[1], offset: m[2] ? Number(m[2]) : 0 } : { name: null, offset: 0 };
  });
}

/** `addr2line -i -f -C` chains: for each address, [function, file:line] pairs innermost first. */
export function addr2lineChains(file: string, addrs: bigint[], tool = 'addr2line'): { fn: string; file: string; line: number | null }[][] {
  const out = run(tool, ['-i', '-f', '-a', '-e', file, ...addrs.map((a) => `0x${a.toString(16)}`)]);
  const chains: { fn: string; file: string; line: number | null }[][] = [];
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^0x[0-9a-f]+$/.test(lines[i])) {
      chains.push([]);
      continue;
    }
    if (lines[i] === '' || chains.length === 0) continue;
    const fn = lines[i];
    const loc = lines[++i] ?? '';
    const m = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?$/.exec(loc);
    chains[chains.length - 1].push({ fn, file: m ? m[1] : loc, line: m && m[2] !== '?' ? Number(m[2]) : null });
  }
  return chains;
}

/** Splits a binary into a stripped file and a debug file (objcopy --only-keep-debug; strip). */
export function splitDebug(exe: string, outDir: string, opts: { debuglink?: boolean; debugName?: string } = {}): { stripped: string; debug: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const stripped = path.join(outDir, path.basename(exe));
  const debug = path.join(outDir, opts.debugName ?? `${path.basename(exe)}.debug`);
  run('objcopy', ['--only-keep-debug', exe, debug]);
  run('strip', ['--strip-all', '-o', stripped, exe]);
  if (opts.debuglink) run('objcopy', [`--add-gnu-debuglink=${debug}`, stripped]);
  return { stripped, debug };
}

/** The GNU build-id of a file, from readelf. */
export function readBuildId(file: string): string | null {
  const m = /Build ID: ([0-9a-f]+)/.exec(run('readelf', ['-n', file]));
  return m ? m[1] : null;
}

/** A module as a dump would describe the executable, loaded at its link-time addresses. */
export function moduleForFile(file: string, loadBias = 0n, opts: { path?: string; buildId?: string | null } = {}): CoreModule {
  const p = opts.path ?? file;
  return {
    path: p,
    name: p.split('/').pop() ?? p,
    deleted: false,
    start: loadBias,
    end: loadBias + 0x100000n,
    base: loadBias,
    loadBias,
    kind: 'executable',
    isElf: true,
    elfType: 3,
    buildId: opts.buildId === undefined ? readBuildId(file) : opts.buildId,
    buildIdSource: 'memory',
    segments: [],
    mappings: [],
  };
}

