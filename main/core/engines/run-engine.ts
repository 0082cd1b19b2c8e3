// The one way a debugger runs in batch: spawn it with its arguments, collect its output
// (bounded), stop it on timeout or cancellation, and fail with a typed error that carries its
// arguments and what it printed on stderr.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { type EngineName } from '../../../shared/types';
import { EngineError, EngineMissingError } from './errors';

export interface RunEngineOptions {
  /** The executable (a path, or a name looked up on PATH). */
  tool: string;
  args: readonly string[];
  timeoutMs: number;
  /** Exit codes that mean success (default [0]). */
  successExitCodes?: readonly number[];
  /** Added to (not replacing) the current environment. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  cwd?: string;
  /** Text written to the tool's stdin (then stdin is closed). */
  input?: string;
  /** Most bytes kept of stdout and of stderr (default 64 MiB); the rest is dropped and said so. */
  maxOutputBytes?: number;
  /** Which engine this is, for EngineMissing's install hint. */
  engine?: EngineName;
  /**
   * Send stderr into stdout at the OS level (through /bin/sh's `2>&1`), so a transcript keeps
   * the order in which the debugger printed errors and output. `stderr` is then empty.
   */
  mergeStderr?: boolean;
}

export interface EngineRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
  /** True when output beyond maxOutputBytes was dropped. */
  truncated: boolean;
}

const KILL_GRACE_MS = 2000;

function tail(text: string, max = 4000): string {
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

export function runEngine(opts: RunEngineOptions): Promise<EngineRun> {
  const started = performance.now();
  const max = opts.maxOutputBytes ?? 64 * 1024 * 1024;
  const ok = opts.successExitCodes ?? [0];
  const name = path.basename(opts.tool);
  return new Promise<EngineRun>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new EngineError('Cancelled', `${name}: cancelled`, { tool: opts.tool, args: opts.args, stderr: '' }));
      return;
    }
    const [file, argv] = opts.mergeStderr ? ['/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', opts.tool, ...opts.args]] : [opts.tool, [...opts.args]];
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let settled = false;
    let why: 'timeout' | 'cancelled' | null = null;
    const collect = (into: Buffer[], d: Buffer, which: 'out' | 'err') => {
      const used = which === 'out' ? outBytes : errBytes;
      if (used >= max) {
        truncated = true;
        return;
      }
      const piece = used + d.length > max ? d.subarray(0, max - used) : d;
      if (piece.length < d.length) truncated = true;
      into.push(piece);
      if (which === 'out') outBytes += piece.length;
      else errBytes += piece.length;
    };
    child.stdout?.on('data', (d: Buffer) => collect(out, d, 'out'));
    child.stderr?.on('data', (d: Buffer) => collect(err, d, 'err'));
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        /* the tool may exit before reading it all */
      });
      child.stdin.end(opts.input);
    }
    let killTimer: NodeJS.Timeout | null = null;
    const stop = (reason: 'timeout' | 'cancelled') => {
      if (why !== null || settled) return;
      why = reason;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
    const onAbort = () => stop('cancelled');
    opts.signal?.addEventListener('abort', onAbort);
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() => {
        if (e.code === 'ENOENT' || e.code === 'EACCES') {
          if (opts.engine) reject(new EngineMissingError(opts.engine, `${opts.tool}: ${e.code === 'ENOENT' ? 'no such file' : 'not executable'}`));
          else reject(new EngineError('EngineMissing', `${name} is not installed (${opts.tool}: ${e.code})`, { tool: opts.tool, args: opts.args, stderr: '' }));
        } else reject(new EngineError('EngineFailed', `${name} could not start: ${e.message}`, { tool: opts.tool, args: opts.args, stderr: '' }));
      });
    });
    child.on('close', (code, sig) => {
      finish(() => {
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        const durationMs = Math.round(performance.now() - started);
        // With stderr merged, its text is in stdout: errors quote the end of that.
        const errText = opts.mergeStderr ? stdout : stderr;
        const info = { tool: opts.tool, args: opts.args, stderr: tail(errText), exitCode: code };
        if (why === 'timeout') reject(new EngineError('Timeout', `${name} did not finish within ${opts.timeoutMs} ms (${opts.args.join(' ')})`, info));
        else if (why === 'cancelled') reject(new EngineError('Cancelled', `${name}: cancelled`, info));
        else if (opts.mergeStderr && code === 127 && /not found|No such file/i.test(stdout.slice(0, 500)))
          reject(opts.engine ? new EngineMissingError(opts.engine, `${opts.tool}: not found`) : new EngineError('EngineMissing', `${name} is not installed`, info));
        else if (code === null) reject(new EngineError('EngineFailed', `${name} was killed by ${sig ?? 'a signal'} (${opts.args.join(' ')})${errText ? `: ${tail(errText, 400).trim()}` : ''}`, info));
        else if (!ok.includes(code)) reject(new EngineError('EngineFailed', `${name} exited with code ${code} (${opts.args.join(' ')})${errText ? `: ${tail(errText, 400).trim()}` : ''}`, info));
        else resolve({ stdout, stderr, exitCode: code, durationMs, truncated });
      });
    });
  });
}
