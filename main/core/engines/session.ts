// An interactive debugger session on a dump, for the console the UI has: one long-lived child
// process, one command at a time, each command's output cut out of the stream by a marker, with
// timeouts and cancellation, and the whole session kept as a transcript.
//
// Folklore, written down — how each debugger says "this command is done" when its stdin is a pipe:
// - lldb echoes every command it reads as "(lldb) <command>" and prints no prompt otherwise. We
//   send a comment line after each command, `# dumpscope-end-N`, and wait for its echo. lldb prints
//   some output asynchronously (the stop status after `thread select`), possibly after the next
//   echo; a short quiet period after the marker catches most of it, and whatever comes later is
//   kept in the transcript between commands.
// - gdb prints its prompt "(gdb) " (no newline) before reading each line and does not echo the
//   command. We send `echo __dumpscope_end_N__\n` after each command and strip prompts at line starts.
// - dotnet-dump (Microsoft.Diagnostics.Repl's ConsoleService) prints no prompt when its input is
//   redirected; it writes "<END_COMMAND_OUTPUT>" (or "<END_COMMAND_ERROR>") after every command and
//   once when it is ready, for its own test runner. Versions without those lines print the "> "
//   prompt: a prompt at the end of the output followed by a quiet period ends the command then.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type EngineName } from '../../../shared/types';
import { EngineError, EngineMissingError } from './errors';
import { lldbEnvironment, requireEngine, type EnginePaths } from './locate';
import { lldbHasSos, usableExecutable } from './batch';

export interface SessionSpec {
  engine: EngineName;
  tool: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** How a command is shown in the transcript: "(lldb) ", "(gdb) ", "> ". */
  prompt: string;
}

export interface SessionSpecOptions {
  engine: EngineName;
  dump: string;
  executable?: string | null;
  paths?: EnginePaths;
  env?: NodeJS.ProcessEnv;
}

/** The command line of an interactive session on a dump. */
export function sessionSpec(opts: SessionSpecOptions): SessionSpec {
  const env = opts.env ?? process.env;
  const tool = requireEngine(opts.engine, opts.paths, env);
  const exe = usableExecutable(opts.executable);
  switch (opts.engine) {
    case 'lldb':
      return { engine: 'lldb', tool, args: [...(lldbHasSos(env) ? [] : ['--no-lldbinit']), '-c', opts.dump, ...(exe ? [exe] : [])], env: lldbEnvironment(tool, env), prompt: '(lldb) ' };
    case 'gdb':
      return {
        engine: 'gdb',
        tool,
        args: ['-q', '-nx', '-ex', 'set pagination off', '-ex', 'set width 0', '-ex', 'set style enabled off', '-ex', 'set confirm off', ...(exe ? [exe, opts.dump] : ['-c', opts.dump])],
        env: {},
        prompt: '(gdb) ',
      };
    case 'dotnet-dump':
      return { engine: 'dotnet-dump', tool, args: ['analyze', opts.dump], env: {}, prompt: '> ' };
  }
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CommandOutput {
  command: string;
  output: string;
  durationMs: number;
  /** dotnet-dump said the command failed (<END_COMMAND_ERROR>). */
  failed: boolean;
  truncated: boolean;
  /** Output printed before this command's own (lldb's late status of the previous command). */
  earlier: string;
}

interface Waiter {
  /** Index just past the end marker in `buf`, and where the output ends, or null when not there yet. */
  find(buf: string): { outputEnd: number; after: number; failed: boolean } | null;
  resolve(r: { output: string; failed: boolean }): void;
  reject(e: Error): void;
}

const MAX_OUTPUT = 32 * 1024 * 1024;
const TAIL_WINDOW = 64 * 1024;
const QUIET_MS = 60;
const PROMPT_QUIET_MS = 400;
const INTERRUPT_GRACE_MS = 3000;

// Commands that would run programs on this machine from a console the UI drives.
const SHELL_ESCAPES = /^\s*(?:shell\b|!|platform\s+shell\b|pipe\b|\||python\b|pi\b|script\b|source\b|command\s+source\b|make\b|!!)/;

export class EngineSession {
  private child: ChildProcessWithoutNullStreams | null = null;
  private buf = '';
  private head = '';
  private dropped = 0;
  private waiter: Waiter | null = null;
  private readonly parts: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private counter = 0;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private quietTimer: NodeJS.Timeout | null = null;
  /** Output that arrived between commands (lldb's asynchronous status). */
  private stray = '';
  private busy = false;

  private constructor(readonly spec: SessionSpec) {}

  /** Starts the debugger and waits until it has loaded the dump. */
  static async start(spec: SessionSpec, opts: RunOptions = {}): Promise<EngineSession> {
    const s = new EngineSession(spec);
    await s.spawn();
    try {
      const startup = await s.exchange(null, opts.timeoutMs ?? 120_000, opts.signal);
      s.parts.push(startup.output);
    } catch (e) {
      s.kill();
      throw e;
    }
    return s;
  }

  get alive(): boolean {
    return this.child !== null && this.exited === null;
  }

  get engine(): EngineName {
    return this.spec.engine;
  }

  /** The session so far, as a transcript: the start-up text, then each prompt, command and output. */
  transcript(): string {
    return this.parts.join('') + this.stray;
  }

  /** Runs one command (queued behind any running one). */
  run(command: string, opts: RunOptions = {}): Promise<CommandOutput> {
    const c = command.trim();
    if (c === '' || /[\r\n]/.test(c)) return Promise.reject(new EngineError('BadRequest', 'one command per line, and not an empty one', { tool: this.spec.tool, args: [], stderr: '' }));
    if (SHELL_ESCAPES.test(c)) {
      return Promise.reject(new EngineError('BadRequest', `"${c.split(/\s+/)[0]}" would run programs or scripts on this machine; dumpscope's console does not pass it to ${this.spec.engine}`, { tool: this.spec.tool, args: [], stderr: '' }));
    }
    const run = this.queue.then(async () => {
      if (!this.alive) throw this.exitedError();
      const started = performance.now();
      if (this.stray !== '') {
        this.parts.push(this.stray);
        this.stray = '';
      }
      const r = await this.exchange(c, opts.timeoutMs ?? 60_000, opts.signal);
      // Late output of the previous command stays before this command's prompt in the transcript.
      if (r.earlier !== '') this.parts.push(r.earlier.endsWith('\n') ? r.earlier : `${r.earlier}\n`);
      const out = r.output.endsWith('\n') || r.output === '' ? r.output : `${r.output}\n`;
      this.parts.push(`${this.spec.prompt}${c}\n${out}`);
      return { command: c, output: r.output, durationMs: Math.round(performance.now() - started), failed: r.failed, truncated: r.truncated, earlier: r.earlier };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the session: asks the debugger to quit, then kills it. */
  async close(): Promise<void> {
    const child = this.child;
    if (child === null || this.exited !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 1500);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      try {
        child.stdin.write(this.spec.engine === 'dotnet-dump' ? 'exit\n' : 'quit\n');
        child.stdin.end();
      } catch {
        child.kill('SIGKILL');
      }
    });
  }

  private kill(): void {
    if (this.child !== null && this.exited === null) this.child.kill('SIGKILL');
  }

  private exitedError(): EngineError {
    const e = this.exited;
    const how = e === null ? 'is not running' : e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
    return new EngineError('EngineFailed', `${this.spec.engine} ${how}; start a new session`, { tool: this.spec.tool, args: this.spec.args, stderr: this.transcript().slice(-2000), exitCode: e?.code ?? null });
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      // stderr joins stdout in the OS, so errors stay where the debugger printed them.
      const child = spawn('/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', this.spec.tool, ...this.spec.args], {
        env: { ...process.env, ...this.spec.env, TERM: 'dumb', COLUMNS: '200' },
        stdio: 'pipe',
      });
      this.child = child;
      const decoder = new StringDecoder('utf8');
      child.stdout.on('data', (d: Buffer) => this.onData(decoder.write(d)));
      child.stderr.on('data', (d: Buffer) => this.onData(decoder.write(d)));
      child.stdin.on('error', () => {
        /* reported through 'exit' */
      });
      child.on('error', (e) => reject(new EngineMissingError(this.spec.engine, e.message)));
      child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        const w = this.waiter;
        this.waiter = null;
        if (w) {
          const printed = this.head + this.buf;
          if (code === 127 && /not found|No such file/i.test(printed)) w.reject(new EngineMissingError(this.spec.engine, `${this.spec.tool}: not found`));
          else w.reject(this.exitedError());
        }
      });
      child.on('spawn', () => resolve());
    });
  }

  private onData(text: string): void {
    if (this.waiter === null && !this.busy) {
      this.stray += text;
      if (this.stray.length > TAIL_WINDOW) this.stray = this.stray.slice(-TAIL_WINDOW);
      return;
    }
    this.buf += text;
    if (this.head.length + this.buf.length > MAX_OUTPUT + TAIL_WINDOW && this.buf.length > TAIL_WINDOW) {
      const cut = this.buf.length - TAIL_WINDOW;
      if (this.head.length < MAX_OUTPUT) this.head += this.buf.slice(0, Math.min(cut, MAX_OUTPUT - this.head.length));
      this.dropped += cut - Math.max(0, Math.min(cut, MAX_OUTPUT - this.head.length));
      this.buf = this.buf.slice(cut);
    }
    this.check();
  }

  private check(): void {
    const w = this.waiter;
    if (w === null) return;
    const hit = w.find(this.buf);
    if (hit === null) return;
    const output = this.head + (this.dropped > 0 ? `\n[… ${this.dropped} characters dropped …]\n` : '') + this.buf.slice(0, hit.outputEnd);
    this.buf = this.buf.slice(hit.after);
    this.head = '';
    this.dropped = 0;
    this.waiter = null;
    w.resolve({ output, failed: hit.failed });
  }

  /** Sends a command (null: nothing, only wait for start-up) and its marker, and waits for the marker. */
  private exchange(command: string | null, timeoutMs: number, signal?: AbortSignal): Promise<{ output: string; failed: boolean; truncated: boolean; earlier: string }> {
    const child = this.child;
    if (child === null || this.exited !== null) return Promise.reject(this.exitedError());
    const n = ++this.counter;
    const engine = this.spec.engine;
    let find: Waiter['find'];
    let input = '';
    switch (engine) {
      case 'lldb': {
        const marker = `(lldb) # dumpscope-end-${n}`;
        find = (buf) => {
          const i = lineIndex(buf, marker);
          return i < 0 ? null : { outputEnd: i, after: i + marker.length + 1, failed: false };
        };
        input = `${command === null ? '' : `${command}\n`}# dumpscope-end-${n}\n`;
        break;
      }
      case 'gdb': {
        const marker = `__dumpscope_end_${n}__\n`;
        find = (buf) => {
          const i = buf.indexOf(marker);
          return i < 0 ? null : { outputEnd: i, after: i + marker.length, failed: false };
        };
        input = `${command === null ? '' : `${command}\n`}echo __dumpscope_end_${n}__\\n\n`;
        break;
      }
      case 'dotnet-dump': {
        find = (buf) => {
          const m = /^<END_COMMAND_(OUTPUT|ERROR)>\r?$/m.exec(buf);
          if (m === null) return null;
          const nl = buf.indexOf('\n', m.index);
          return { outputEnd: m.index, after: nl < 0 ? buf.length : nl + 1, failed: m[1] === 'ERROR' };
        };
        input = command === null ? '' : `${command}\n`;
        break;
      }
    }
    return new Promise((resolve, reject) => {
      this.busy = true;
      let settled = false;
      let interrupted: 'Timeout' | 'Cancelled' | null = null;
      let promptTimer: NodeJS.Timeout | null = null;
      const timers: NodeJS.Timeout[] = [];
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.busy = false;
        timers.forEach(clearTimeout);
        if (promptTimer) clearTimeout(promptTimer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const interrupt = (why: 'Timeout' | 'Cancelled') => {
        if (interrupted !== null || settled) return;
        interrupted = why;
        child.kill('SIGINT');
        // The marker is already queued: if the debugger survives the interrupt it answers it.
        timers.push(
          setTimeout(() => {
            this.kill();
            done(() => reject(this.interruptError(why, command, timeoutMs, true)));
          }, INTERRUPT_GRACE_MS),
        );
      };
      const onAbort = () => interrupt('Cancelled');
      if (signal?.aborted) {
        this.busy = false;
        reject(this.interruptError('Cancelled', command, timeoutMs, false));
        return;
      }
      signal?.addEventListener('abort', onAbort);
      timers.push(setTimeout(() => interrupt('Timeout'), timeoutMs));
      this.waiter = {
        find: (buf) => {
          const hit = find(buf);
          if (hit !== null || engine !== 'dotnet-dump') return hit;
          // Older dotnet-dump: a "> " prompt at the end, then silence.
          if (promptTimer) clearTimeout(promptTimer);
          if (/(?:^|\n)> $/.test(buf)) {
            promptTimer = setTimeout(() => {
              if (this.waiter === null) return;
              const end = buf.length - 2;
              this.waiter.find = () => ({ outputEnd: end, after: buf.length, failed: false });
              this.check();
            }, PROMPT_QUIET_MS);
          }
          return null;
        },
        resolve: (r) => {
          // lldb prints some output asynchronously, right after: wait a moment for it.
          const finish = () =>
            done(() => {
              let output = r.output;
              let earlier = '';
              if (engine === 'lldb' && command !== null) {
                const echo = `(lldb) ${command}`;
                const at = lineIndex(output, echo);
                if (at >= 0) {
                  earlier = output.slice(0, at);
                  output = output.slice(at + echo.length).replace(/^\r?\n/, '');
                }
              }
              if (engine === 'gdb') output = output.replace(/^(?:\(gdb\) )+/gm, '');
              output += this.stray;
              this.stray = '';
              if (interrupted !== null) reject(this.interruptError(interrupted, command, timeoutMs, false, output));
              else resolve({ output, failed: r.failed, truncated: output.includes(' characters dropped …]'), earlier });
            });
          if (engine === 'lldb') {
            this.busy = false;
            this.quietTimer = setTimeout(finish, QUIET_MS);
            timers.push(this.quietTimer);
          } else finish();
        },
        // The debugger may die of the interrupt (dotnet-dump with redirected input does): say why it was interrupted.
        reject: (e) => done(() => reject(interrupted !== null ? this.interruptError(interrupted, command, timeoutMs, true) : e)),
      };
      try {
        if (input !== '') child.stdin.write(input);
      } catch (e) {
        done(() => reject(new EngineError('EngineFailed', `cannot write to ${engine}: ${(e as Error).message}`, { tool: this.spec.tool, args: this.spec.args, stderr: '' })));
        return;
      }
      this.check();
    });
  }

  private interruptError(why: 'Timeout' | 'Cancelled', command: string | null, timeoutMs: number, killed: boolean, output = ''): EngineError {
    const what = command === null ? `${this.spec.engine} did not load the dump` : `"${command}"`;
    const msg =
      why === 'Timeout'
        ? `${what} did not finish within ${timeoutMs} ms${killed ? `; ${this.spec.engine} did not answer the interrupt and was stopped (start a new session)` : '; it was interrupted'}`
        : `${what}: cancelled${killed ? `; ${this.spec.engine} was stopped (start a new session)` : ''}`;
    return new EngineError(why, msg, { tool: path.basename(this.spec.tool), args: this.spec.args, stderr: output.slice(-2000) });
  }
}

/** Index of the line that is exactly `line` (at the start of the text or after a newline), or -1. */
function lineIndex(buf: string, line: string): number {
  let from = 0;
  for (;;) {
    const i = buf.indexOf(line, from);
    if (i < 0) return -1;
    const startOk = i === 0 || buf[i - 1] === '\n';
    const end = i + line.length;
    if (startOk && (buf[end] === '\n' || buf[end] === '\r')) return i;
    if (startOk && end === buf.length) return -1; // the newline has not arrived yet
    from = i + 1;
  }
}
