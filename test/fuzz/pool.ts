// Parent side: a few harness children, each running one input at a time under a time bound
// (killed with SIGKILL past it) and a memory bound (peak RSS growth over the child's warm
// baseline). A child that hangs, dies or blows up is replaced; the input is a finding.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HarnessJob, type HarnessReply } from './harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HARNESS = path.join(HERE, 'harness.ts');

// A child stuck in a hang cannot notice its parent is gone: kill every child when this process ends.
const LIVE = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of LIVE) c.kill('SIGKILL');
});

export interface PoolOptions {
  workers: number;
  /** Per input. */
  timeoutMs: number;
  /** Allowed growth of a child's peak RSS during one input. */
  maxRssGrowthMb: number;
  /** V8 heap limit of each child. */
  heapLimitMb: number;
  /** Inputs a child runs before it is replaced (caches of earlier inputs would blur the memory figure). */
  recycleAfter: number;
  /** An input every child runs first, to load the code and warm the caches. */
  warmup: HarnessJob | null;
  scratch: string;
}

export type JobResult =
  | (HarnessReply & { kind: 'reply'; rssGrowthMb: number })
  | { kind: 'hang'; id: number; ms: number }
  | { kind: 'crash'; id: number; ms: number; exit: string; stderr: string };

interface Child {
  proc: ChildProcess;
  baselineKb: number;
  done: number;
  stderr: string;
}

export class HarnessPool {
  private readonly idle: Child[] = [];
  private readonly all = new Set<Child>();
  private readonly waiting: { resolve: (c: Child) => void; reject: (e: Error) => void }[] = [];
  private starting = 0;
  private closed = false;

  constructor(private readonly opts: PoolOptions) {}

  async run(job: HarnessJob): Promise<JobResult> {
    const child = await this.acquire();
    const r = await this.exec(child, job, this.opts.timeoutMs);
    if (r.kind !== 'reply' || r.rssGrowthMb > this.opts.maxRssGrowthMb || ++child.done >= this.opts.recycleAfter) this.retire(child);
    else this.release(child);
    return r;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of [...this.all]) this.retire(c);
  }

  private exec(child: Child, job: HarnessJob, timeoutMs: number): Promise<JobResult> {
    return new Promise((resolve) => {
      const started = Date.now();
      child.stderr = '';
      const finish = (r: JobResult) => {
        clearTimeout(timer);
        child.proc.off('message', onMessage);
        child.proc.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (m: HarnessReply) => {
        if (m.id !== job.id) return;
        const growth = Math.max(0, (m.maxRssKb - child.baselineKb) / 1024);
        finish({ ...m, kind: 'reply', rssGrowthMb: Math.round(growth) });
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish({ kind: 'crash', id: job.id, ms: Date.now() - started, exit: signal ?? `code ${code}`, stderr: child.stderr.slice(-2000) });
      const timer = setTimeout(() => {
        child.proc.off('exit', onExit);
        child.proc.kill('SIGKILL');
        finish({ kind: 'hang', id: job.id, ms: Date.now() - started });
      }, timeoutMs);
      child.proc.on('message', onMessage);
      child.proc.on('exit', onExit);
      child.proc.send(job);
    });
  }

  private acquire(): Promise<Child> {
    const c = this.idle.pop();
    if (c) return Promise.resolve(c);
    const p = new Promise<Child>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.fill();
    return p;
  }

  private release(c: Child): void {
    const w = this.waiting.shift();
    if (w) w.resolve(c);
    else this.idle.push(c);
  }

  private retire(c: Child): void {
    this.all.delete(c);
    LIVE.delete(c.proc);
    c.proc.removeAllListeners();
    c.proc.kill('SIGKILL');
    this.fill();
  }

  /** Starts children for the inputs waiting, up to the pool's size (one per waiting input). */
  private fill(): void {
    while (!this.closed && this.all.size + this.starting < this.opts.workers && this.waiting.length > this.starting) void this.spawn();
  }

  private async spawn(): Promise<void> {
    this.starting++;
    try {
      const proc = fork(HARNESS, [], {
        execArgv: [`--max-old-space-size=${this.opts.heapLimitMb}`, '--import', 'tsx'],
        env: { ...process.env, DUMPSCOPE_FUZZ_SCRATCH: this.opts.scratch, DUMPSCOPE_FUZZ_CHILD: '1' },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      LIVE.add(proc);
      const child: Child = { proc, baselineKb: 0, done: 0, stderr: '' };
      proc.stderr?.on('data', (d: Buffer) => (child.stderr = (child.stderr + d.toString()).slice(-8000)));
      const hello = await new Promise<HarnessReply | null>((resolve) => {
        proc.once('message', (m: HarnessReply) => resolve(m));
        proc.once('exit', () => resolve(null));
      });
      if (!hello) throw new Error(`the fuzz harness did not start:\n${child.stderr}`);
      if (this.opts.warmup) {
        const w = await this.exec(child, this.opts.warmup, 120_000);
        if (w.kind !== 'reply' || (w.outcome !== 'result' && w.outcome !== 'typed')) throw new Error(`the warm-up input failed: ${JSON.stringify(w)}`);
        child.baselineKb = w.maxRssKb;
      } else {
        child.baselineKb = hello.maxRssKb;
      }
      if (this.closed) {
        LIVE.delete(proc);
        proc.kill('SIGKILL');
        return;
      }
      this.all.add(child);
      this.release(child);
    } catch (e) {
      for (const w of this.waiting.splice(0)) w.reject(e as Error);
    } finally {
      this.starting--;
    }
  }
}
