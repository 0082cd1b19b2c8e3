// captureDump through the service, as the UI's capture dialog calls it: progress events with
// the bytes written, the interval between two dumps, each dump indexed (indexChanged), and the
// hook the compare feature (issue 7) will fill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type ApiEvents } from '../../../shared/api';
import { type DumpComparison, type DumpSummary } from '../../../shared/types';
import { DumpscopeService } from '../../../main/api';
import { captureDumps } from '../../../main/core/capture';
import { compile, startProgram, type LiveProgram } from '../../helpers/native';
import { LOCK_ORDER_DEADLOCK } from '../../helpers/lock-programs';
import { BIG_HEAP } from './programs';

let dir: string;
const events: { event: keyof ApiEvents; payload: unknown }[] = [];
let service: DumpscopeService;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-capture-api-'));
  service = new DumpscopeService({
    indexPath: path.join(dir, 'index.sqlite'),
    sampleDir: null,
    emit: (event, payload) => events.push({ event, payload }),
  });
});
afterAll(async () => {
  await service.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withProgram<T>(exe: string, args: string[], fn: (p: LiveProgram) => Promise<T>): Promise<T> {
  const p = await startProgram(exe, { args, stackKb: 256 });
  try {
    return await fn(p);
  } finally {
    p.kill();
  }
}

describe('captureDump (API)', () => {
  it('reports the bytes written as it goes, then indexes the dump', async () => {
    events.length = 0;
    const r = await withProgram(compile('big-heap', BIG_HEAP), ['256'], (p) => service.captureDump({ pid: p.pid, outDir: path.join(dir, 'one'), jobId: 'job-1' }));
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.payload as ApiEvents['progress']);
    const capture = progress.filter((p) => p.jobId === 'job-1' && p.phase === 'capture');
    expect(capture.length).toBeGreaterThanOrEqual(2);
    // bytes never go backwards, end at the dump's size, and the total is the estimate
    for (let i = 1; i < capture.length; i++) expect(capture[i].done).toBeGreaterThanOrEqual(capture[i - 1].done);
    const last = capture[capture.length - 1];
    expect(last.message).toMatch(/^Writing dump of big-heap \(pid \d+\) with gcore: [0-9.]+ MiB of about [0-9.]+ MiB$/);
    expect(last.total).toBeGreaterThanOrEqual(r.dumps[0].bytes);
    // indexing progress comes under its own job id, and the index says a dump was added
    expect(progress.some((p) => p.jobId === 'job-1:index-1' && p.phase === 'done')).toBe(true);
    expect(events.some((e) => e.event === 'indexChanged' && (e.payload as { dumpId: number }).dumpId === r.dumps[0].dump.id)).toBe(true);
    expect(r.dumps[0].dump.threadCount).toBe(1);
    expect(r.compare).toBeNull();
  });

  it('waits the interval between the end of the first dump and the start of the second', async () => {
    events.length = 0;
    const r = await withProgram(compile('lock-order', LOCK_ORDER_DEADLOCK), [], (p) =>
      service.captureDump({ pid: p.pid, outDir: path.join(dir, 'two'), twice: true, intervalMs: 1500, jobId: 'job-2' }),
    );
    const [a, b] = r.dumps;
    expect(Date.parse(b.startedAt) - (Date.parse(a.startedAt) + a.elapsedMs)).toBeGreaterThanOrEqual(1400);
    expect(events.some((e) => e.event === 'progress' && (e.payload as ApiEvents['progress']).phase === 'waiting')).toBe(true);
    // The service compares the two dumps itself.
    expect(r.notes).toEqual([]);
    expect(r.compare?.verdict.deadlockConfirmed).toBe(true);
  });

  it('hands both dumps to the compare function when one is given, and returns what it returns', async () => {
    // A stand-in for issue 7's compare: it checks the plumbing, not a comparison.
    const seen: [number, number][] = [];
    const r = await withProgram(compile('lock-order', LOCK_ORDER_DEADLOCK), [], (p) =>
      captureDumps(
        { pid: p.pid, outDir: path.join(dir, 'compare'), twice: true, intervalMs: 200 },
        {
          open: (dumpPath) => service.openDump({ path: dumpPath }),
          compare: async (x: DumpSummary, y: DumpSummary) => {
            seen.push([x.id, y.id]);
            // Not a real comparison: an object the plumbing must pass through untouched.
            return { from: 'stand-in', dumpA: x.id, dumpB: y.id } as unknown as DumpComparison;
          },
        },
      ),
    );
    expect(seen).toEqual([[r.dumps[0].dump.id, r.dumps[1].dump.id]]);
    expect(r.compare).toEqual({ from: 'stand-in', dumpA: r.dumps[0].dump.id, dumpB: r.dumps[1].dump.id });
    expect(r.notes).toEqual([]);
  });

  it('validates its arguments at the door', async () => {
    const { validateArgs } = await import('../../../shared/schemas');
    expect(validateArgs('captureDump', { pid: 0 })).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
    expect(validateArgs('captureDump', { pid: 12, type: 'huge' })).toMatchObject({ ok: false });
    expect(validateArgs('captureDump', { pid: 12, intervalMs: 500, twice: true, type: 'full' })).toMatchObject({ ok: true });
    expect(validateArgs('listProcesses', { filter: 'dotnet', dotnetOnly: true })).toMatchObject({ ok: true });
    expect(validateArgs('listCoredumps', {})).toMatchObject({ ok: true });
  });
});
