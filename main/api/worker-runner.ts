// Runs each analysis in its own worker thread, so the app's and the server's event loops stay
// free. Cancelling terminates the worker: the index is only written after a result arrives.
import { Worker } from 'node:worker_threads';
import { type ApiError } from '../../shared/errors';
import { type DumpRecord } from '../core/analysis';
import { DumpscopeError } from '../core/errors';
import { type AnalysisRequest, type AnalysisRunner, type ProgressListener } from './runner';

type WorkerMessage =
  | { type: 'progress'; phase: string; done: number; total: number; message: string }
  | { type: 'result'; record: DumpRecord }
  | { type: 'error'; error: ApiError };

export class WorkerRunner implements AnalysisRunner {
  private readonly live = new Set<Worker>();

  /**
   * `script` is the bundled worker (dist/worker.mjs). `maxHeapMb` bounds the worker's heap so a
   * dump that would blow it up ends that job with LimitExceeded instead of starving the app.
   */
  constructor(
    private readonly script: string | URL,
    private readonly maxHeapMb = 4096,
  ) {}

  analyze(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal): Promise<DumpRecord> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.script, { workerData: req, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
      this.live.add(worker);
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        this.live.delete(worker);
        void worker.terminate();
        fn();
      };
      const onAbort = () => finish(() => reject(new DumpscopeError('Cancelled', `${req.path}: cancelled`, { file: req.path })));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') onProgress(m.phase, m.done, m.total, m.message);
        else if (m.type === 'result') finish(() => resolve(m.record));
        else finish(() => reject(new DumpscopeError(m.error.code, m.error.message, { where: m.error.where })));
      });
      worker.on('error', (e: Error & { code?: string }) =>
        finish(() =>
          reject(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new DumpscopeError('LimitExceeded', `${req.path}: analysing this dump needs more than ${this.maxHeapMb} MiB of memory`, { file: req.path })
              : new DumpscopeError('Internal', `analysis worker failed: ${e.message}`, { where: req.path }),
          ),
        ),
      );
      worker.on('exit', (code) => finish(() => reject(new DumpscopeError('Internal', `analysis worker exited with code ${code}`, { where: req.path }))));
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.live].map((w) => w.terminate()));
    this.live.clear();
  }
}
