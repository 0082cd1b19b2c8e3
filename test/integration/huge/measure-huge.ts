// Measures what opening big cores costs, for docs/ROBUSTNESS.md:
//   npx tsx test/integration/huge/measure-huge.ts [--real-mapping]
// Cores of more and more threads; of deeper and deeper stacks; the 2000-thread core claiming
// 8 and 64 GiB more in a sparse hole; and, with --real-mapping, a process that maps 4 GiB
// PROT_READ and never touches it, as gcore writes it (every byte) and as `fallocate --dig-holes`
// leaves it (sparse). Each open runs the built CLI (`threads --json`) in a fresh process with a
// fresh index; the figures are its peak RSS, its wall time and the bytes it read from the core.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCore, compile } from '../../helpers/native';
import { C_PREAMBLE, MANY_THREADS } from '../../helpers/programs';
import { tempIndex } from '../../helpers/cli';
import { makeSparseVariant, measureCli } from './sparse-core';

/** argv[1] threads, each `argv[2]` frames deep in a recursion, then parked on a condition variable. */
const DEEP_THREADS =
  C_PREAMBLE +
  String.raw`
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int started = 0, depth = 10;
__attribute__((noinline)) static void dive(int n) {
  if (n > 0) { dive(n - 1); __asm__ volatile("" ::: "memory"); return; }
  pthread_mutex_lock(&m);
  started++;
  for (;;) pthread_cond_wait(&c, &m);
}
static void *worker(void *a) { dive(depth); return a; }
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  depth = argc > 2 ? atoi(argv[2]) : 10;
  for (int i = 0; i < n; i++) { pthread_t t; if (pthread_create(&t, 0, worker, 0) != 0) return 1; }
  for (;;) { pthread_mutex_lock(&m); int s = started; pthread_mutex_unlock(&m); if (s == n) break; usleep(1000); }
  report_ready();
  for (;;) pause();
}
`;

/** Maps argv[1] GiB read-only and never touches it. */
const UNTOUCHED_MAPPING =
  C_PREAMBLE +
  String.raw`
#include <sys/mman.h>
int main(int argc, char **argv) {
  size_t gib = argc > 1 ? (size_t)atol(argv[1]) : 4;
  void *p = mmap(0, gib << 30, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return 1;
  report_tid("main");
  report_ready();
  for (;;) pause();
}
`;

interface Row {
  case: string;
  threads: number;
  frames: number;
  fileMiB: number;
  diskMiB: number;
  readMiB: number;
  ms: number;
  rssMiB: number;
}

function measure(label: string, core: string): Row {
  const m = measureCli(['--index', tempIndex('measure'), 'threads', core, '--json']);
  if (m.code !== 0) throw new Error(`${label}: exit ${m.code}: ${m.stderr}`);
  const doc = JSON.parse(m.stdout) as { dump: { indexStats: { bytesRead: number } }; threads: { tid: number }[] };
  const bt = measureCli(['--index', tempIndex('frames'), 'bt', core, '--json']);
  const frames = (JSON.parse(bt.stdout) as { threads: { frames: unknown[] }[] }).threads.reduce((n, t) => n + t.frames.length, 0);
  const st = fs.statSync(core);
  const row = {
    case: label,
    threads: doc.threads.length,
    frames,
    fileMiB: st.size / 2 ** 20,
    diskMiB: (st.blocks * 512) / 2 ** 20,
    readMiB: doc.dump.indexStats.bytesRead / 2 ** 20,
    ms: Math.round(m.elapsedMs),
    rssMiB: m.maxRssKb / 1024,
  };
  console.error(JSON.stringify(row));
  return row;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const many = compile('many-threads', MANY_THREADS);
  let twoThousand = '';
  for (const n of [250, 1000, 2000, 4000]) {
    const c = await captureCore(many, { args: [String(n)], stackKb: 64, timeoutMs: 300_000 });
    rows.push(measure(`${n} threads`, c.core));
    if (n === 2000) twoThousand = c.core;
    else c.remove();
  }
  const deep = compile('deep-threads', DEEP_THREADS, { flags: ['-g', '-O0'] });
  for (const d of [10, 100, 400]) {
    const c = await captureCore(deep, { args: ['200', String(d)], stackKb: 256, timeoutMs: 120_000 });
    rows.push(measure(`200 threads, ${d} frames deep`, c.core));
    c.remove();
  }
  const dir = path.dirname(twoThousand);
  rows.push(measure('2000 threads + 8 GiB sparse', makeSparseVariant(twoThousand, path.join(dir, 'sparse8.core'), 4, 2 * 2 ** 30).path));
  rows.push(measure('2000 threads + 64 GiB sparse', makeSparseVariant(twoThousand, path.join(dir, 'sparse64.core'), 16, 4 * 2 ** 30).path));
  fs.rmSync(dir, { recursive: true, force: true });
  if (process.argv.includes('--real-mapping')) {
    const c = await captureCore(compile('untouched-mapping', UNTOUCHED_MAPPING), { args: ['4'], timeoutMs: 60_000 });
    rows.push(measure('4 GiB PROT_READ untouched, as gcore writes it', c.core));
    const dig = spawnSync('fallocate', ['--dig-holes', c.core]);
    if (dig.status === 0) rows.push(measure('the same, holes dug (sparse)', c.core));
    c.remove();
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Machine: ${os.cpus().length} x ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}, Node ${process.version}\n`);
  console.log('| case | threads | frames | file | on disk | read | time | peak RSS |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const mib = (v: number) => (v >= 1024 ? `${(v / 1024).toFixed(1)} GiB` : `${v.toFixed(1)} MiB`);
  for (const r of rows) console.log(`| ${r.case} | ${r.threads} | ${r.frames} | ${mib(r.fileMiB)} | ${mib(r.diskMiB)} | ${mib(r.readMiB)} | ${(r.ms / 1000).toFixed(2)} s | ${r.rssMiB.toFixed(0)} MiB |`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
