// Where heavy analysis runs. The CLI runs it inline (it is its own process); the app and the
// browser-mode server run it on a worker thread so their event loop never blocks.
import { type DumpRecord } from '../core/index';
import { analyzeDump, type AnalyzeOptions } from '../core/analysis';
import { DumpscopeError } from '../core/errors';

export interface AnalysisRequest {
  path: string;
  partial: boolean;
}

export type ProgressListener = (phase: string, done: number, total: number, message: string) => void;

export interface AnalysisRunner {
  analyze(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal): Promise<DumpRecord>;
  close?(): Promise<void>;
}

export function analyzeOptions(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal): AnalyzeOptions {
  return {
    allowTruncated: req.partial,
    onProgress,
    checkCancelled: () => {
      if (signal.aborted) throw new DumpscopeError('Cancelled', `${req.path}: cancelled`, { file: req.path });
    },
  };
}

/** Runs the analysis on the calling thread. */
export class InlineRunner implements AnalysisRunner {
  async analyze(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal): Promise<DumpRecord> {
    return analyzeDump(req.path, analyzeOptions(req, onProgress, signal));
  }
}
