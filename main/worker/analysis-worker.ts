// Worker-thread entry (bundled to dist/worker.mjs): runs one dump analysis off the caller's
// event loop and posts progress, then the record or a typed error.
import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from '../core/errors';
import { runAnalysis, type AnalysisRequest } from '../api/runner';

const port = parentPort;
if (!port) throw new Error('analysis-worker must run in a worker thread');
const req = workerData as AnalysisRequest;
try {
  const record = runAnalysis(req, (phase, done, total, message) => port.postMessage({ type: 'progress', phase, done, total, message }), new AbortController().signal);
  port.postMessage({ type: 'result', record });
} catch (e) {
  port.postMessage({ type: 'error', error: toApiError(e) });
}
