// The benchmark (npm run bench): dumpscope against gdb (and eu-stack and lldb when installed)
// on the same cores, several runs each, printed side by side with peak memory.
//   npm run bench [-- --runs 5] [-- --quick]
// Cores: 10, 200 and 2000 threads (idle on a condition variable), a 1 GiB touched heap, and
// the lock-order deadlock. Each dumpscope run uses a fresh index (a first open: parse, unwind,
// symbolize, analyse, index); "reopen" times a second open answered from the index.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCore, compile, haveTool, type Captured } from '../helpers/native';
import { BIG_HEAP, MANY_THREADS } from '../helpers/programs';
import { LOCK_ORDER_DEADLOCK } from '../helpers/lock-programs';
import { BIN } from '../helpers/cli';
import { DumpscopeService } from '../../main/api';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const QUICK = args.includes('--quick');

interface Sample {
  seconds: number;
  maxRssMb: number;
  code: number;
}

// Wall time and peak RSS of a child, measured by Python's getrusage(RUSAGE_CHILDREN).
const MEASURE = String.raw`
import resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dt = time.monotonic() - t
print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)
`;

function measure(cmd: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const r = spawnSync('python3', ['-c', MEASURE, ...cmd], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 20 });
  const [s, kb, code] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds: s, maxRssMb: kb / 1024, code };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Row {
  core: string;
  task: string;
  tool: string;
  seconds: number;
  maxRssMb: number;
  note: string;
}

const rows: Row[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-bench-'));

function bench(core: string, task: string, tool: string, cmd: () => string[], note = '', env: NodeJS.ProcessEnv = {}): void {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(measure(cmd(), env));
  const bad = samples.find((s) => ![0, 1, 3].includes(s.code));
  rows.push({ core, task, tool, seconds: median(samples.map((s) => s.seconds)), maxRssMb: Math.max(...samples.map((s) => s.maxRssMb)), note: bad ? `exit ${bad.code}` : note });
  process.stderr.write(`  ${core} ${task} ${tool}: ${median(samples.map((s) => s.seconds)).toFixed(3)} s\n`);
}

let idx = 0;
const freshIndex = () => path.join(tmp, `index-${++idx}.sqlite`);

async function main(): Promise<void> {
  const cores: { name: string; exe: string; c: Captured }[] = [];
  process.stderr.write('making cores…\n');
  const many = compile('bench-many', MANY_THREADS);
  for (const n of QUICK ? [10, 200] : [10, 200, 2000]) {
    cores.push({ name: `${n} threads`, exe: many, c: await captureCore(many, { args: [String(n)], stackKb: 128, timeoutMs: 180_000, settleMs: 1000, outDir: path.join(tmp, `t${n}`) }) });
  }
  const heap = compile('bench-heap', BIG_HEAP);
  cores.push({ name: '1 GiB heap', exe: heap, c: await captureCore(heap, { args: [QUICK ? '256' : '1024'], timeoutMs: 180_000, outDir: path.join(tmp, 'heap') }) });
  const dl = compile('bench-deadlock', LOCK_ORDER_DEADLOCK);
  cores.push({ name: 'deadlock', exe: dl, c: await captureCore(dl, { outDir: path.join(tmp, 'dl') }) });

  const hasEu = haveTool('eu-stack');
  const hasLldb = haveTool('lldb');
  const lldbEnv = { PYTHONPATH: '/usr/lib/llvm-14/lib/python3.11/dist-packages' };
  for (const { name, exe, c } of cores) {
    process.stderr.write(`${name} (${(fs.statSync(c.core).size / 2 ** 20).toFixed(0)} MiB)\n`);
    const ds = (cmd: string, index = freshIndex()) => [process.execPath, BIN, '--index', index, cmd, c.core, '--json'];
    bench(name, 'threads', 'dumpscope', () => ds('threads'), 'first open');
    const warm = freshIndex();
    spawnSync(process.execPath, [BIN, '--index', warm, 'threads', c.core], { stdio: 'ignore' });
    bench(name, 'threads', 'dumpscope (reopen)', () => ds('threads', warm), 'from the index');
    bench(name, 'threads', 'gdb', () => ['gdb', '-batch', '-nx', '-ex', 'info threads', exe, c.core]);
    bench(name, 'backtraces', 'dumpscope', () => ds('bt'), 'first open');
    bench(name, 'backtraces', 'dumpscope (reopen)', () => ds('bt', warm), 'from the index');
    bench(name, 'backtraces', 'gdb', () => ['gdb', '-batch', '-nx', '-ex', 'set pagination off', '-ex', 'thread apply all bt', exe, c.core]);
    if (hasEu) bench(name, 'backtraces', 'eu-stack', () => ['eu-stack', `--core=${c.core}`, `--executable=${exe}`], 'no inline frames, no lines');
    if (hasLldb) bench(name, 'backtraces', 'lldb', () => ['lldb', '--batch', '-c', c.core, exe, '-o', 'bt all'], '', lldbEnv);
    bench(name, 'lock analysis', 'dumpscope', () => ds('locks'), 'first open; gdb has no equivalent');
  }
  // The desktop app and browser mode are long-lived: once a program's libraries have been
  // symbolized for one dump, the next dump reuses their tables. Time a full re-analysis of each
  // core in one process, after a first dump warmed the shared libraries' symbols.
  const service = new DumpscopeService({ indexPath: freshIndex(), sampleDir: null });
  await service.openDump({ path: cores[cores.length - 1].c.core });
  for (const { name, c } of cores) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await service.openDump({ path: c.core, force: true });
      times.push((performance.now() - t) / 1000);
    }
    rows.push({ core: name, task: 'backtraces', tool: 'dumpscope app (warm)', seconds: median(times), maxRssMb: process.resourceUsage().maxRSS / 1024, note: 'full analysis in a running app' });
  }
  await service.close();
  for (const { c } of cores) c.remove();
  fs.rmSync(tmp, { recursive: true, force: true });

  // The table, with the ratio of each tool's time to dumpscope's first open.
  const out: string[] = [];
  out.push(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; ${RUNS} runs each, median wall time, peak RSS.`);
  out.push('');
  out.push('| core | task | tool | seconds | vs dumpscope | peak RSS (MiB) | note |');
  out.push('|---|---|---|---:|---:|---:|---|');
  for (const r of rows) {
    const base = rows.find((x) => x.core === r.core && x.task === r.task && x.tool === 'dumpscope');
    const ratio = base && r.tool !== 'dumpscope' ? `${(r.seconds / base.seconds).toFixed(1)}×` : '';
    out.push(`| ${r.core} | ${r.task} | ${r.tool} | ${r.seconds.toFixed(3)} | ${ratio} | ${r.maxRssMb.toFixed(0)} | ${r.note} |`);
  }
  console.log(out.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
