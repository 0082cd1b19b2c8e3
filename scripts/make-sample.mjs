// Makes the bundled sample dump: resources/sample/deadlock.core.gz and deadlock.gz (the static
// executable, -g). Run it again after changing resources/sample/deadlock.c:
//   node scripts/make-sample.mjs
// Needs gcc with static glibc (libc6-dev) and gdb's gcore. The program runs with a 256 KiB
// stack limit and one malloc arena so the core stays small; gzip -9 makes it tiny.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const sampleDir = path.join(root, 'resources', 'sample');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-sample-'));
const exe = path.join(work, 'deadlock');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

run('gcc', ['-static', '-g', '-O0', '-pthread', '-o', exe, path.join(sampleDir, 'deadlock.c')]);

const child = spawn('sh', ['-c', 'ulimit -s 256 && exec "$0"', exe], {
  cwd: work,
  env: { ...process.env, MALLOC_ARENA_MAX: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no "ready" within 10 s:\n${out}`)), 10_000);
  child.stdout.on('data', (d) => {
    out += d;
    if (/^ready$/m.test(out)) {
      clearTimeout(timer);
      resolve();
    }
  });
  child.on('exit', (code) => reject(new Error(`exited (${code}) before "ready":\n${out}`)));
});
await new Promise((r) => setTimeout(r, 300)); // let both threads reach their futex waits
const prefix = path.join(work, 'core');
try {
  run('gcore', ['-o', prefix, String(child.pid)]);
} finally {
  child.kill('SIGKILL');
}
const core = `${prefix}.${child.pid}`;

const gz = (from, to) => {
  const data = fs.readFileSync(from);
  fs.writeFileSync(to, zlib.gzipSync(data, { level: 9 }));
  return [data.length, fs.statSync(to).size];
};
const [coreSize, coreGz] = gz(core, path.join(sampleDir, 'deadlock.core.gz'));
const [exeSize, exeGz] = gz(exe, path.join(sampleDir, 'deadlock.gz'));
fs.writeFileSync(path.join(sampleDir, 'threads.txt'), out.replace(/^ready\n?/m, ''));
fs.rmSync(work, { recursive: true, force: true });
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`core ${kib(coreSize)} -> deadlock.core.gz ${kib(coreGz)}; executable ${kib(exeSize)} -> deadlock.gz ${kib(exeGz)}`);
