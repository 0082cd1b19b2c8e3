// Taking dumps of a live process: check it exists and may be attached to, check the disk, run
// the chosen tool into `<name>.partial`, report the file's growth, verify the result is a
// complete core and rename it; then index it. With `twice`, a second dump after the interval,
// and the two handed to the compare feature when the caller provides one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CaptureComparison, type CapturedDump, type CaptureResult, type CaptureTool, type DumpType } from '../../../shared/api';
import { type DumpSummary } from '../../../shared/types';
import { DumpscopeError, isDumpscopeError } from '../errors';
import { findCaptureTools, planCapture, type CaptureStep, type ToolPaths } from './capture-plan';
import { formatBytes } from './decompress';
import { checkFreeSpace, estimateDumpSize, realStatfs, type DumpEstimate, type StatfsFn } from './disk-space';
import { formatInterval } from './interval';
import { isSameProcessAlive, readProcess, readProcText, type ProcessDetails } from './proc';
import { attachBlocker, attachRefused, isDescendantOf, readPtraceContext, type AttachTarget, type PtraceContext } from './ptrace-access';
import { runTool, ToolError } from './run-tool';
import { checkCoreComplete } from './verify-core';

export interface CaptureRequest {
  pid: number;
  outDir: string;
  type?: DumpType;
  twice?: boolean;
  /** Between the end of the first dump and the start of the second (indexing the first included). */
  intervalMs?: number;
}

export interface CaptureProgress {
  phase: 'capture' | 'waiting';
  done: number;
  total: number;
  message: string;
}

export type CompareFn = (first: DumpSummary, second: DumpSummary) => Promise<CaptureComparison>;

export interface CaptureDeps {
  /** Indexes a dump just written (the service's openDump); `n` is 1 or 2. */
  open: (dumpPath: string, n: number) => Promise<DumpSummary>;
  /**
   * Compares the two dumps of `twice`. The compare feature (issue 7) provides it; until then it
   * is absent and `compare` stays null: we never make a comparison up.
   */
  compare?: CompareFn;
  progress?: (p: CaptureProgress) => void;
  signal?: AbortSignal;
  // For tests and unusual systems:
  procRoot?: string;
  statfs?: StatfsFn;
  /** Tools to use instead of looking them up. */
  tools?: ToolPaths;
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
}

export const DEFAULT_INTERVAL_MS = 5000;
/** The second dump's output in the notes when no compare function exists yet. */
export const NO_COMPARE_NOTE =
  'compare: not available yet: the compare feature (issue 7) is not in this build, so the two dumps are not compared; open both (dumpscope threads <dump>) to see which threads did not move';

const GCORE_UNREADABLE = /Memory read failed for corefile section, (\d+) bytes at (0x[0-9a-f]+)/g;
/** The vsyscall page: gdb can never read it, on every live process. */
const VSYSCALL = '0xffffffffff600000';

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A file name not yet used in `dir`: core.<name>.<pid>.<time>[-N]. */
function freshName(dir: string, name: string, pid: number, when: Date): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40) || 'process';
  const base = `core.${safe}.${pid}.${stamp(when)}`;
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(dir, n === 1 ? base : `${base}-${n}`);
    if (!fs.existsSync(candidate) && !fs.existsSync(`${candidate}.partial`)) return candidate;
  }
  throw new DumpscopeError('CaptureFailed', `${dir}: too many dumps named ${base}*`, { file: dir });
}

function removeQuietly(...files: string[]): void {
  for (const f of files) fs.rmSync(f, { force: true });
}

function fileSize(f: string): number {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
}

/** A process stopped by a killed debugger would stay stopped: wake it (state T). */
function resumeIfStopped(pid: number, procRoot: string): boolean {
  try {
    const stat = readProcText(path.join(procRoot, String(pid), 'stat'));
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'T') {
      process.kill(pid, 'SIGCONT');
      return true;
    }
  } catch {
    // gone
  }
  return false;
}

function ensureOutDir(outDir: string): void {
  try {
    fs.mkdirSync(outDir, { recursive: true });
    fs.accessSync(outDir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DumpscopeError(
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'PermissionDenied' : 'CaptureFailed',
      `${outDir}: cannot write dumps here: ${(e as Error).message}`,
      { file: outDir },
    );
  }
}

interface Attempt {
  process: ProcessDetails;
  dumpNo: number;
  of: number;
}

/** Reads the process and refuses early what cannot work. */
function inspect(pid: number, procRoot: string, expectStartTime: string | null): ProcessDetails {
  if (pid === process.pid) {
    throw new DumpscopeError('BadRequest', `pid ${pid} is dumpscope itself`, { where: `pid ${pid}` });
  }
  const p = readProcess(pid, { procRoot });
  if (expectStartTime !== null && p.startTime !== expectStartTime) {
    throw new DumpscopeError('NoSuchProcess', `process ${pid} exited; pid ${pid} is now another process (${p.name})`, { where: `pid ${pid}` });
  }
  if (p.state === 'Z' || p.state === 'X' || p.state === 'x') {
    throw new DumpscopeError(
      'NoSuchProcess',
      `process ${pid} (${p.name}) has already exited (it is a zombie waiting for its parent to reap it): there is no memory left to dump`,
      { where: `pid ${pid}` },
    );
  }
  if (p.maps && p.maps.totalBytes === 0 && p.cmdline === '') {
    throw new DumpscopeError('BadRequest', `pid ${pid} (${p.name}) is a kernel thread: it has no user memory to dump`, { where: `pid ${pid}` });
  }
  return p;
}

/** Maps a failed tool run to the error the user should see; null when the next tool may do better. */
function classifyToolFailure(e: ToolError, step: CaptureStep, attempt: Attempt, outDir: string, written: number, ptrace: PtraceContext, target: AttachTarget): DumpscopeError | null {
  const p = attempt.process;
  const text = `${e.stderr}\n${e.stdout}`;
  if (e.failure === 'cancelled') return new DumpscopeError('Cancelled', `capture of pid ${p.pid} (${p.name}) cancelled; the incomplete dump was removed`, { where: `pid ${p.pid}` });
  if (e.failure === 'timeout') {
    return new DumpscopeError('CaptureFailed', `${e.message} while dumping pid ${p.pid} (${p.name}) (${formatBytes(written)} written); the incomplete dump was removed`, {
      where: step.tool,
    });
  }
  if (NO_SPACE.test(text)) return noSpace(outDir, step, p, written);
  if (/ptrace: Operation not permitted|Could not attach to process|attach: Operation not permitted|ptrace\(PTRACE_(?:ATTACH|SEIZE)[^)]*\) FAILED|Permission denied/i.test(text)) {
    const line = text.split('\n').find((l) => /not permitted|Could not attach|FAILED|Permission denied/i.test(l))?.trim() ?? e.lastLine;
    return attachRefused(target, ptrace, `${step.tool}: ${line}`);
  }
  // anything else (a missing or failing tool): the next tool may do better
  return null;
}

interface StepOutcome {
  tool: CaptureTool;
  bytes: number;
  elapsedMs: number;
  notes: string[];
  stderr: string;
}

async function runStep(step: CaptureStep, attempt: Attempt, estimate: DumpEstimate, deps: CaptureDeps, timeoutMs: number): Promise<StepOutcome> {
  const p = attempt.process;
  const label = attempt.of > 1 ? `dump ${attempt.dumpNo} of ${attempt.of}` : 'dump';
  const report = () => {
    const size = fileSize(step.writes);
    deps.progress?.({
      phase: 'capture',
      done: size,
      total: estimate.bytes,
      message: `Writing ${label} of ${p.name} (pid ${p.pid}) with ${step.tool}: ${formatBytes(size)} of about ${formatBytes(estimate.bytes)}`,
    });
  };
  report();
  const poll = setInterval(report, deps.pollMs ?? 250);
  const started = Date.now();
  try {
    const r = await runTool({ tool: step.tool, command: step.command, args: step.args, timeoutMs, signal: deps.signal, env: deps.env });
    return { tool: step.tool, bytes: fileSize(step.writes), elapsedMs: Date.now() - started, notes: unreadableNotes(r.stderr, step.tool), stderr: r.stderr };
  } finally {
    clearInterval(poll);
    report();
  }
}

/** gdb's "Memory read failed" warnings (other than the vsyscall page, never readable). */
function unreadableNotes(stderr: string, tool: CaptureTool): string[] {
  if (tool !== 'gcore') return [];
  let count = 0;
  let bytes = 0;
  let first: string | null = null;
  for (const m of stderr.matchAll(GCORE_UNREADABLE)) {
    if (m[2] === VSYSCALL) continue;
    count++;
    bytes += Number(m[1]);
    first ??= m[2];
    if (count > 100_000) break;
  }
  if (count === 0) return [];
  return [`gdb could not read ${count} memory region(s) of the process (${formatBytes(bytes)}, the first at ${first}): they read as zeros in the dump`];
}

/** Takes one dump; the caller indexes it. */
async function captureOnce(req: CaptureRequest, deps: CaptureDeps, dumpNo: number, of: number, expectStartTime: string | null): Promise<Omit<CapturedDump, 'dump'> & { process: ProcessDetails }> {
  const procRoot = deps.procRoot ?? '/proc';
  const type = req.type ?? 'full';
  const p = inspect(req.pid, procRoot, expectStartTime);
  const ptrace = readPtraceContext(procRoot);
  const target: AttachTarget = {
    pid: p.pid,
    name: p.name,
    uid: p.uid,
    user: p.user,
    mapsError: p.mapsError,
    descendant: isDescendantOf(p.pid, process.pid, procRoot),
  };
  // An unreadable memory map means no attach either (same kernel check): say why now.
  if (p.mapsError) {
    const why = attachBlocker(target, ptrace);
    throw new DumpscopeError('PermissionDenied', why ?? `cannot capture pid ${p.pid} (${p.name}): cannot read /proc/${p.pid}/maps: ${p.mapsError.message}`, {
      where: `pid ${p.pid}`,
    });
  }
  const isDotnet = p.maps?.coreclrPath != null;
  const planTarget = { pid: p.pid, name: p.name, isDotnet, coreclrPath: p.maps?.coreclrPath ?? null };
  const tools = deps.tools ?? findCaptureTools(planTarget, deps.env);
  ensureOutDir(req.outDir);
  const startedAt = new Date();
  const final = freshName(req.outDir, p.name, p.pid, startedAt);
  const partial = `${final}.partial`;
  const steps = planCapture(planTarget, type, tools, partial);
  // dotnet-dump asks the runtime, which starts createdump as its own child: Yama's
  // "descendants only" rule does not stop it. Every other tool attaches from outside.
  if (steps[0].tool !== 'dotnet-dump') {
    const why = attachBlocker(target, ptrace);
    if (why) throw new DumpscopeError('PermissionDenied', why, { where: `pid ${p.pid}` });
  }
  const estimate = estimateDumpSize(p, type, steps[0].allMappings);
  checkFreeSpace(req.outDir, estimate, `a ${type} dump of pid ${p.pid} (${p.name})`, deps.statfs ?? realStatfs);
  // Generous: a slow disk writes 20 MiB/s; never less than 10 minutes.
  const timeoutMs = Math.min(6 * 3600_000, Math.max(600_000, (estimate.bytes / (20 * 1024 * 1024)) * 1000));
  const notes: string[] = [];
  const attempt: Attempt = { process: p, dumpNo, of };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const stepEstimate = i === 0 ? estimate : estimateDumpSize(p, type, step.allMappings);
    let outcome: StepOutcome;
    try {
      outcome = await runStep(step, attempt, stepEstimate, deps, timeoutMs);
    } catch (e) {
      const written = fileSize(step.writes);
      removeQuietly(step.writes, partial);
      if (!(e instanceof ToolError)) throw e;
      if (e.failure === 'cancelled' || e.failure === 'timeout') {
        if (resumeIfStopped(p.pid, procRoot)) notes.push(`pid ${p.pid} was left stopped by the interrupted ${step.tool}; it was resumed (SIGCONT)`);
      }
      if (!isSameProcessAlive(p.pid, p.startTime, procRoot)) throw exitedDuring(p, step.tool, written, estimate);
      const mapped = classifyToolFailure(e, step, attempt, req.outDir, written, ptrace, target);
      if (mapped) throw mapped;
      const next = steps[i + 1];
      if (next) {
        notes.push(`${step.tool} failed (${e.lastLine || e.message}); used ${next.tool} instead`);
        continue;
      }
      throw new DumpscopeError(
        'CaptureFailed',
        `${step.tool} could not dump pid ${p.pid} (${p.name}): ${e.lastLine || e.message}${written > 0 ? '; the incomplete dump was removed' : ''}`,
        { where: step.tool },
      );
    }
    // gcore exits 0 even when its target died mid-dump: check the process and the file.
    if (!isSameProcessAlive(p.pid, p.startTime, procRoot)) {
      removeQuietly(step.writes, partial);
      throw exitedDuring(p, step.tool, outcome.bytes, estimate);
    }
    // gcore also exits 0 after "Failed to write corefile contents (No space left on device)"
    if (NO_SPACE.test(outcome.stderr)) {
      removeQuietly(step.writes, partial);
      throw noSpace(req.outDir, step, p, outcome.bytes);
    }
    if (!fs.existsSync(step.writes)) {
      throw new DumpscopeError('CaptureFailed', `${step.tool} finished but wrote no dump of pid ${p.pid} (${p.name}) at ${step.writes}`, { where: step.tool });
    }
    const check = checkCoreComplete(step.writes);
    if (!check.ok) {
      removeQuietly(step.writes, partial);
      throw new DumpscopeError('CaptureFailed', `the dump ${step.tool} wrote of pid ${p.pid} (${p.name}) is incomplete (${check.problem}); it was removed`, {
        where: step.tool,
      });
    }
    fs.renameSync(step.writes, final);
    return {
      path: final,
      tool: outcome.tool,
      type,
      bytes: outcome.bytes,
      elapsedMs: outcome.elapsedMs,
      startedAt: startedAt.toISOString(),
      notes: [...notes, ...step.notes, ...outcome.notes],
      process: p,
    };
  }
  // planCapture returns at least one step or throws
  throw new DumpscopeError('CaptureFailed', `no tool could dump pid ${p.pid} (${p.name})`, { where: 'capture' });
}

const NO_SPACE = /No space left on device|ENOSPC|Disk quota exceeded/i;

function noSpace(outDir: string, step: CaptureStep, p: ProcessDetails, written: number): DumpscopeError {
  return new DumpscopeError(
    'NotEnoughSpace',
    `no space left in ${outDir} while ${step.tool} wrote the dump of pid ${p.pid} (${p.name}) (${formatBytes(written)} written); the incomplete dump was removed`,
    { file: outDir },
  );
}

function exitedDuring(p: ProcessDetails, tool: CaptureTool, written: number, estimate: DumpEstimate): DumpscopeError {
  return new DumpscopeError(
    'CaptureFailed',
    `process ${p.pid} (${p.name}) exited during the capture (${tool} had written ${formatBytes(written)} of about ${formatBytes(estimate.bytes)}); the incomplete dump was removed`,
    { where: `pid ${p.pid}` },
  );
}

function sleep(ms: number, signal: AbortSignal | undefined, onTick: (elapsed: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    if (signal?.aborted) return reject(new DumpscopeError('Cancelled', 'capture cancelled', { where: 'capture' }));
    const tick = setInterval(() => onTick(Date.now() - started), 250);
    const timer = setTimeout(done, ms);
    function done() {
      clearInterval(tick);
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearInterval(tick);
      clearTimeout(timer);
      reject(new DumpscopeError('Cancelled', 'capture cancelled', { where: 'capture' }));
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** Takes one or two dumps of `req.pid`, indexing each as soon as it is written. */
export async function captureDumps(req: CaptureRequest, deps: CaptureDeps): Promise<CaptureResult> {
  const of = req.twice ? 2 : 1;
  const first = await captureOnce(req, deps, 1, of, null);
  const firstEnded = Date.now();
  const { process: proc, ...firstDump } = first;
  const dumps: CapturedDump[] = [{ ...firstDump, dump: await deps.open(first.path, 1) }];
  const notes: string[] = [];
  let compare: CaptureComparison | null = null;
  if (req.twice) {
    const interval = req.intervalMs ?? DEFAULT_INTERVAL_MS;
    const left = Math.max(0, interval - (Date.now() - firstEnded));
    let second;
    try {
      await sleep(left, deps.signal, (elapsed) =>
        deps.progress?.({ phase: 'waiting', done: elapsed, total: left, message: `Waiting ${formatInterval(interval)} before the second dump` }),
      );
      second = await captureOnce(req, deps, 2, 2, proc.startTime);
    } catch (e) {
      // the first dump is complete and indexed: say where it is
      if (isDumpscopeError(e)) throw new DumpscopeError(e.code, `${e.message} (second dump; the first is kept: ${first.path})`, e.details);
      throw e;
    }
    const { process: _p, ...secondDump } = second;
    dumps.push({ ...secondDump, dump: await deps.open(second.path, 2) });
    if (deps.compare) compare = await deps.compare(dumps[0].dump, dumps[1].dump);
    else notes.push(NO_COMPARE_NOTE);
  }
  return { pid: req.pid, process: proc.name, dumps, compare, notes };
}
