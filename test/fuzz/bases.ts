// Base inputs for the fuzzer, regenerated on each machine from committed sources (never
// committed themselves): cores of FUZZ_TARGET_C built two ways, and the transcript fixtures.
//
// Each core's executable and C library are private copies that are moved away after the core is
// taken, so the mapped paths no longer exist: the analysis then finds the modules in the dump's
// folder by build-id — which is where the fuzzer puts mutated copies of them.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, gcore, TEST_TMP } from '../helpers/native';
import { coreLayout, moduleLayout, type CoreLayout, type ModuleLayout } from './layout';
import { FUZZ_TARGET_C } from './programs';

export interface ModuleBase {
  /** The file name the dump's folder must hold (the mapped file's basename). */
  name: string;
  path: string;
  layout: ModuleLayout;
}

export interface CoreBase {
  name: string;
  /** The unmutated core. */
  core: string;
  layout: CoreLayout;
  /** Module files to place beside the core (pristine, or one of them mutated). */
  modules: ModuleBase[];
}

export interface TranscriptBase {
  name: string;
  path: string;
}

export const BUILDS: Record<string, string[]> = {
  // .eh_frame + DWARF 5, no optimisation
  O0: ['-g', '-O0'],
  // .debug_frame instead of .eh_frame for our own functions, DWARF 4 with inlining
  O2: ['-gdwarf-4', '-O2', '-fno-asynchronous-unwind-tables'],
};

const LIBC = '/lib/x86_64-linux-gnu/libc.so.6';
export const TRANSCRIPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'transcripts');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `exe` with `env` until it prints `ready`, takes its core, kills it. */
async function coreOf(exe: string, outDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn('sh', ['-c', 'ulimit -s 256 && exec "$0"', exe], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${exe} did not print ready: ${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/^ready$/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`${exe} exited (${code}) before ready: ${out}`)));
    });
    await sleep(200);
    return gcore(child.pid ?? -1, outDir);
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * The base core for one build, made once per machine and cached under TEST_TMP (keyed by the
 * program, the flags and the C library).
 */
export async function coreBase(build: keyof typeof BUILDS & string): Promise<CoreBase> {
  const flags = BUILDS[build];
  const libc = fs.readFileSync(LIBC);
  const key = createHash('sha256').update(JSON.stringify([FUZZ_TARGET_C, flags])).update(libc).digest('hex').slice(0, 12);
  const dir = path.join(TEST_TMP, 'fuzz-bases', `${build}-${key}`);
  const core = path.join(dir, 'core');
  const files = path.join(dir, 'files');
  if (!fs.existsSync(core)) {
    // Made aside and renamed into place: test files running at once may both get here.
    if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true }); // a half-made one
    const tmp = `${dir}.making-${process.pid}-${Date.now()}`;
    const run = path.join(tmp, 'run');
    fs.mkdirSync(path.join(run, 'lib'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'files'), { recursive: true });
    fs.copyFileSync(compile(`fuzz-target-${build}`, FUZZ_TARGET_C, { flags }), path.join(run, 'fuzz-target'));
    fs.chmodSync(path.join(run, 'fuzz-target'), 0o755);
    fs.copyFileSync(LIBC, path.join(run, 'lib', 'libc.so.6'));
    const taken = await coreOf(path.join(run, 'fuzz-target'), tmp, { LD_LIBRARY_PATH: path.join(run, 'lib') });
    fs.renameSync(path.join(run, 'fuzz-target'), path.join(tmp, 'files', 'fuzz-target'));
    fs.renameSync(path.join(run, 'lib', 'libc.so.6'), path.join(tmp, 'files', 'libc.so.6'));
    fs.rmSync(run, { recursive: true, force: true });
    fs.renameSync(taken, path.join(tmp, 'core'));
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process made it first: use theirs
    }
  }
  const modules = ['fuzz-target', 'libc.so.6'].map((name) => {
    const p = path.join(files, name);
    return { name, path: p, layout: moduleLayout(fs.readFileSync(p)) };
  });
  return { name: `core-${build}`, core, layout: coreLayout(fs.readFileSync(core)), modules };
}

export function transcriptBases(): TranscriptBase[] {
  return fs
    .readdirSync(TRANSCRIPTS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ name: f, path: path.join(TRANSCRIPTS_DIR, f) }));
}

/** Whether this machine can make cores (gcc and gdb's gcore). */
export function canMakeCores(): boolean {
  return ['gcc', 'gcore'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status === 0);
}
