// Speed on a 200-thread core: every thread's pc and every stack word that points into a
// module's code (a stack scan, as the unwinder's fallback does) symbolized with lines and
// inline frames. The first pass loads the modules' tables; later dumps of the same files
// reuse them and must take well under a second.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureCore, compile, haveTool, type Captured } from '../../helpers/native';
import { C_PREAMBLE } from '../../helpers/programs';
import { CoreDump } from '../../../main/core/elf';
import { DumpSymbols } from '../../../main/core/symbols';

const MANY = C_PREAMBLE + String.raw`
#define N 200
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started;
__attribute__((noinline)) static void wait_here(int depth) {
  if (depth > 0) { wait_here(depth - 1); return; }
  pthread_mutex_lock(&gate);
  started++;
  while (1) pthread_cond_wait(&cv, &gate);
}
static void *worker(void *arg) {
  long i = (long)arg;
  if (i % 3 == 0) { for (;;) sleep(100); }
  if (i % 3 == 1) wait_here((int)(i % 7));
  pthread_mutex_lock(&report_lock); /* held by nobody for long; then block on gate */
  pthread_mutex_unlock(&report_lock);
  wait_here(2);
  return NULL;
}
int main(void) {
  pthread_t t[N];
  for (long i = 0; i < N; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  usleep(300000);
  report_tid("main");
  report_ready();
  pause();
  return 0;
}
`;

const hasTools = haveTool('gcc') && haveTool('gcore');

describe.skipIf(!hasTools)('symbolization speed', () => {
  let cap: Captured;
  let core: CoreDump;
  beforeAll(async () => {
    const exe = compile('many-symbols', MANY, { flags: ['-g', '-O2'] });
    cap = await captureCore(exe, { stackKb: 256, settleMs: 500 });
    core = CoreDump.open(cap.core);
  });
  afterAll(() => {
    core?.close();
    cap?.remove();
  });

  /** pcs per thread: the pc and every stack word (512 above sp) that lands in executable module memory. */
  function pcsOf(ds: DumpSymbols): bigint[][] {
    return core.threads.map((t) => {
      const out = [t.registers.rip];
      const buf = core.memory.read(t.registers.rsp, 512 * 8);
      if (buf) {
        for (let o = 0; o + 8 <= buf.length; o += 8) {
          const v = buf.readBigUInt64LE(o);
          const m = ds.moduleAt(v);
          if (m && m.segments.some((s) => (s.flags & 1) !== 0 && v - m.loadBias >= s.vaddr && v - m.loadBias < s.vaddr + s.memsz)) out.push(v);
        }
      }
      return out;
    });
  }

  test('200 threads: first pass, then a fresh dump of the same files in well under a second', () => {
    expect(core.threads.length).toBeGreaterThanOrEqual(201);
    const run = () => {
      const started = performance.now();
      const ds = new DumpSymbols(core.modules, { memory: core.memory, dumpDir: null });
      const all = pcsOf(ds);
      let named = 0;
      let lines = 0;
      let n = 0;
      all.forEach((pcs) =>
        pcs.forEach((pc, i) => {
          const l = ds.lookup(pc, { returnAddress: i > 0 });
          n++;
          if (l?.function) named++;
          if (l?.line !== null && l?.line !== undefined) lines++;
        }),
      );
      return { ms: performance.now() - started, n, named, lines };
    };
    const first = run();
    const second = run();
    const third = run();
    const msg = `200-thread core: ${first.n} pcs; first pass ${first.ms.toFixed(0)} ms (loads libc's tables), then ${second.ms.toFixed(0)} ms and ${third.ms.toFixed(0)} ms; ${first.named} named, ${first.lines} with file:line`;
    console.log(msg);
    expect(first.n).toBeGreaterThan(400);
    expect(first.named / first.n).toBeGreaterThan(0.5);
    expect(second.ms).toBeLessThan(1000);
    expect(third.ms).toBeLessThan(1000);
  });
});
