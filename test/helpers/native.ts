// Real cores for tests: compile a small C/C++ program, run it until it reports it is ready,
// take its core with gcore, and kill it. Programs print `tid <role> <tid>` lines and a final
// `ready` line (see test/helpers/programs.ts for the shared C preamble).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const TEST_TMP = path.join(os.tmpdir(), 'dumpscope-tests');
const BIN_CACHE = path.join(TEST_TMP, 'bin');

export function haveTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

export interface CompileOptions {
  /** C++ (g++) instead of C (gcc). */
  cxx?: boolean;
  /** Compiler flags; default `-g -O0`. */
  flags?: string[];
  /** Strip the executable after linking (debug info goes nowhere unless `splitDebug`). */
  strip?: boolean;
}

/**
 * Compiles `source` into an executable named `name`, cached by content and flags so a test run
 * compiles each program once. Returns the executable's path.
 */
export function compile(name: string, source: string, opts: CompileOptions = {}): string {
  const flags = opts.flags ?? ['-g', '-O0'];
  const compiler = opts.cxx ? 'g++' : 'gcc';
  const hash = createHash('sha256').update(JSON.stringify([compiler, flags, opts.strip ?? false, source])).digest('hex').slice(0, 16);
  const dir = path.join(BIN_CACHE, `${name}-${hash}`);
  const exe = path.join(dir, name);
  if (fs.existsSync(exe)) return exe;
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(dir, `${name}.${opts.cxx ? 'cpp' : 'c'}`);
  fs.writeFileSync(src, source);
  const r = spawnSync(compiler, [...flags, '-pthread', '-o', `${exe}.tmp`, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${compiler} failed for ${name}:\n${r.stderr}`);
  if (opts.strip) {
    const s = spawnSync('strip', ['--strip-all', `${exe}.tmp`], { encoding: 'utf8' });
    if (s.status !== 0) throw new Error(`strip failed: ${s.stderr}`);
  }
  fs.renameSync(`${exe}.tmp`, exe);
  return exe;
}

export interface RunOptions {
  args?: string[];
  /** Resident stack size per thread in KiB (ulimit -s), to keep cores of many threads small. */
  stackKb?: number;
  /** How long to wait for `ready`. */
  timeoutMs?: number;
  /** Extra wait after `ready` so threads reach their blocking calls. */
  settleMs?: number;
  /** Where the core goes; default a fresh temp dir. */
  outDir?: string;
  cwd?: string;
}

export interface Captured {
  core: string;
  pid: number;
  /** role -> tid, from `tid <role> <tid>` lines. */
  tids: Map<string, number>;
  /** Every tid line in print order (roles may repeat). */
  tidLines: { role: string; tid: number }[];
  output: string;
  dir: string;
  /** Deletes the core's folder. */
  remove(): void;
}

export interface LiveProgram {
  child: ChildProcess;
  pid: number;
  tids: Map<string, number>;
  tidLines: { role: string; tid: number }[];
  output: () => string;
  kill(): void;
}

/** Starts a program and resolves once it prints `ready`. The caller must kill it. */
export function startProgram(exe: string, opts: RunOptions = {}): Promise<LiveProgram> {
  const cmd = opts.stackKb ? `ulimit -s ${opts.stackKb} && exec "$0" "$@"` : 'exec "$0" "$@"';
  const child = spawn('sh', ['-c', cmd, exe, ...(opts.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
  let out = '';
  const tids = new Map<string, number>();
  const tidLines: { role: string; tid: number }[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(exe)} did not print "ready" within ${opts.timeoutMs ?? 20000} ms; output:\n${out}`));
    }, opts.timeoutMs ?? 20000);
    const onData = (d: Buffer) => {
      out += d.toString();
      let m: RegExpExecArray | null;
      const re = /^tid (\S+) (\d+)$/gm;
      tids.clear();
      tidLines.length = 0;
      while ((m = re.exec(out)) !== null) {
        tids.set(m[1], Number(m[2]));
        tidLines.push({ role: m[1], tid: Number(m[2]) });
      }
      if (/^ready$/m.test(out)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more: Buffer) => (out += more.toString()));
        resolve({
          child,
          pid: child.pid ?? -1,
          tids,
          tidLines,
          output: () => out,
          kill: () => {
            try {
              child.kill('SIGKILL');
            } catch {
              /* already gone */
            }
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(exe)} exited (${code}) before "ready"; output:\n${out}`));
    });
  });
}

/** Takes a core of a live process with gcore; returns its path. */
export function gcore(pid: number, outDir: string): string {
  fs.mkdirSync(outDir, { recursive: true });
  const prefix = path.join(outDir, 'core');
  const r = spawnSync('gcore', ['-o', prefix, String(pid)], { encoding: 'utf8', timeout: 120_000 });
  const core = `${prefix}.${pid}`;
  if (r.status !== 0 || !fs.existsSync(core)) throw new Error(`gcore ${pid} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return core;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a program to `ready`, waits `settleMs`, takes its core, kills it. */
export async function captureCore(exe: string, opts: RunOptions = {}): Promise<Captured> {
  const dir = opts.outDir ?? fs.mkdtempSync(path.join(TEST_TMP, `${path.basename(exe)}-`));
  fs.mkdirSync(dir, { recursive: true });
  const live = await startProgram(exe, opts);
  try {
    await sleep(opts.settleMs ?? 300);
    const core = gcore(live.pid, dir);
    return {
      core,
      pid: live.pid,
      tids: live.tids,
      tidLines: live.tidLines,
      output: live.output(),
      dir,
      remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    live.kill();
  }
}

/** gdb's `thread apply all bt` (and anything else) on a core, in batch. */
export function gdbBatch(exe: string, core: string, commands: string[] = ['thread apply all bt'], init: string[] = []): string {
  // `init` runs before the executable is loaded (-iex), e.g. `set debug-file-directory …`.
  const args = ['-batch', '-nx', ...init.flatMap((c) => ['-iex', c]), '-ex', 'set pagination off', '-ex', 'set width 0'];
  for (const c of commands) args.push('-ex', c);
  args.push(exe, core);
  const r = spawnSync('gdb', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  if (r.error) throw r.error;
  return r.stdout;
}
