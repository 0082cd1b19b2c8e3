// The app and the server analyse dumps on a worker thread; results equal the inline run, and
// cancelling stops the job with code Cancelled without touching the index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { DumpscopeService, InlineRunner, WorkerRunner } from '../../../main/api';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { MANY_THREADS } from '../../helpers/programs';
import { ROOT, tempIndex } from '../../helpers/cli';

const WORKER = path.join(ROOT, 'dist', 'worker.mjs');

describe('WorkerRunner', () => {
  let core: Captured;
  beforeAll(async () => {
    core = await captureCore(compile('many', MANY_THREADS), { args: ['50'], stackKb: 256 });
  });
  afterAll(() => core?.remove());

  it('produces the same record as the inline runner, with progress events', async () => {
    const progress: string[] = [];
    const viaWorker = await new WorkerRunner(WORKER).analyze({ path: core.core, partial: false }, (phase) => progress.push(phase), new AbortController().signal);
    const inline = await new InlineRunner().analyze({ path: core.core, partial: false }, () => {}, new AbortController().signal);
    expect(viaWorker.threads).toEqual(inline.threads);
    expect(viaWorker.modules).toEqual(inline.modules);
    expect(progress).toContain('reading');
  });

  it('reports typed errors from the worker', async () => {
    await expect(
      new WorkerRunner(WORKER).analyze({ path: path.join(core.dir, 'missing'), partial: false }, () => {}, new AbortController().signal),
    ).rejects.toMatchObject({ code: 'FileNotFound' });
  });

  it('cancels a running job and leaves the index untouched', async () => {
    const service = new DumpscopeService({ indexPath: tempIndex(), runner: new WorkerRunner(WORKER) });
    const pending = service.openDump({ path: core.core, jobId: 'job-1' });
    expect(await service.cancelJob({ jobId: 'job-1' })).toEqual({ cancelled: true });
    await expect(pending).rejects.toMatchObject({ code: 'Cancelled' });
    expect(await service.listDumps({})).toEqual([]);
    const done = await service.openDump({ path: core.core, jobId: 'job-2' });
    expect(done.threadCount).toBe(51);
    await service.close();
  });
});

describe('WorkerRunner memory bound', () => {
  it('ends a job whose heap outgrows the bound with LimitExceeded', async () => {
    // A 1 MiB heap cannot hold even the analysis of a small core.
    const core = await captureCore(compile('many', MANY_THREADS), { args: ['5'], stackKb: 256 });
    try {
      await expect(new WorkerRunner(WORKER, 1).analyze({ path: core.core, partial: false }, () => {}, new AbortController().signal)).rejects.toMatchObject({
        code: 'LimitExceeded',
        message: expect.stringMatching(/needs more than 1 MiB of memory$/),
      });
    } finally {
      core.remove();
    }
  });
});
