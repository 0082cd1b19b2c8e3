// The one way capture runs an external tool (gcore, dotnet-dump, createdump, coredumpctl):
// spawn without a shell, keep the tail of its output, stop it (and its children: gcore is a
// script around gdb) on timeout or cancel, and throw ToolError with the arguments and stderr.
// What the output means is for the caller; this module parses nothing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DumpscopeError } from '../errors';

/** Output kept per stream: the end of it, where tools print their errors. */
const MAX_KEPT_OUTPUT = 64 * 1024;
const KILL_GRACE_MS = 3000;

export interface RunToolOptions {
  /** Name for messages (e.g. "gcore"). */
  tool: string;
  /** The executable: a path, or a name looked up in PATH. Defaults to `tool`. */
  command?: string;
  args: string[];
  timeoutMs: number;
  /** Every piece of output as it arrives. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  signal?: AbortSignal;
  /** Exit codes that count as success; default [0]. */
  okExitCodes?: number[];
  env?: NodeJS.ProcessEnv;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export type ToolFailure = 'missing' | 'exit' | 'signal' | 'timeout' | 'cancelled' | 'spawn';

/** A tool that could not run or did not succeed. `stderr` is its tail. */
export class ToolError extends DumpscopeError {
  constructor(
    message: string,
    readonly tool: string,
    readonly args: string[],
    readonly failure: ToolFailure,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout: string,
  ) {
    super(
      failure === 'missing' ? 'EngineMissing' : failure === 'timeout' ? 'Timeout' : failure === 'cancelled' ? 'Cancelled' : 'EngineFailed',
      message,
      { where: tool },
    );
    this.name = 'ToolError';
  }

  /** The last non-empty line of stderr (or stdout), for one-line messages. */
  get lastLine(): string {
    const lines = `${this.stderr}\n${this.stdout}`
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    return lines.length > 0 ? lines[lines.length - 1] : '';
  }
}

class Tail {
  private text = '';
  add(s: string): void {
    this.text += s;
    if (this.text.length > MAX_KEPT_OUTPUT * 2) this.text = this.text.slice(-MAX_KEPT_OUTPUT);
  }
  get value(): string {
    return this.text.slice(-MAX_KEPT_OUTPUT);
  }
}

/** Pids of `root`'s descendants, from /proc (bounded by the number of processes). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(path.join('/proc', name, 'stat'), 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const queue = [root];
  // Bounded: each pid is visited once (a tree), and there are finitely many.
  while (queue.length > 0 && out.length < 10_000) {
    const p = queue.shift() as number;
    for (const c of children.get(p) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function killTree(pid: number, sig: NodeJS.Signals): void {
  // children first: killing a script first would orphan (and keep) its gdb
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, sig);
    } catch {
      // already gone
    }
  }
}

export function runTool(opts: RunToolOptions): Promise<ToolResult> {
  const command = opts.command ?? opts.tool;
  const started = Date.now();
  const ok = opts.okExitCodes ?? [0];
  return new Promise<ToolResult>((resolve, reject) => {
    const stdout = new Tail();
    const stderr = new Tail();
    let settled = false;
    let stopReason: 'timeout' | 'cancelled' | null = null;
    const fail = (failure: ToolFailure, message: string, exitCode: number | null) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(new ToolError(message, opts.tool, opts.args, failure, exitCode, stderr.value, stdout.value));
    };
    if (opts.signal?.aborted) {
      fail('cancelled', `${opts.tool}: cancelled`, null);
      return;
    }
    const child = spawn(command, opts.args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let graceTimer: NodeJS.Timeout | null = null;
    const stop = (why: 'timeout' | 'cancelled') => {
      if (stopReason || child.pid === undefined) return;
      stopReason = why;
      killTree(child.pid, 'SIGTERM');
      graceTimer = setTimeout(() => child.pid !== undefined && killTree(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
    const onAbort = () => stop('cancelled');
    opts.signal?.addEventListener('abort', onAbort);
    const cleanup = () => {
      clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      stdout.add(s);
      opts.onOutput?.('stdout', s);
    });
    child.stderr.on('data', (s: string) => {
      stderr.add(s);
      opts.onOutput?.('stderr', s);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') fail('missing', `${opts.tool} is not installed (${command} was not found)`, null);
      else fail('spawn', `${opts.tool}: cannot start ${command}: ${e.message}`, null);
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      const elapsedMs = Date.now() - started;
      if (stopReason === 'timeout') return fail('timeout', `${opts.tool} did not finish within ${Math.round(opts.timeoutMs / 1000)} s and was stopped`, code);
      if (stopReason === 'cancelled') return fail('cancelled', `${opts.tool}: cancelled`, code);
      if (signal) return fail('signal', `${opts.tool} was killed by ${signal}`, null);
      if (code === null || !ok.includes(code)) {
        const last = stderr.value.trim().split('\n').pop() ?? '';
        return fail('exit', `${opts.tool} failed (exit code ${code})${last ? `: ${last.trim()}` : ''}`, code);
      }
      settled = true;
      cleanup();
      resolve({ exitCode: code, stdout: stdout.value, stderr: stderr.value, elapsedMs });
    });
  });
}

/** The first executable named `name` in `dirs` (then in PATH), or null. */
export function findExecutable(name: string, dirs: string[] = [], env: NodeJS.ProcessEnv = process.env): string | null {
  const pathDirs = (env.PATH ?? '').split(path.delimiter).filter((d) => d.length > 0);
  for (const dir of [...dirs, ...pathDirs].slice(0, 256)) {
    const candidate = path.join(dir, name);
    try {
      const st = fs.statSync(candidate);
      if (st.isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return null;
}
