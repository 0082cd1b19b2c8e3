// Where heavy analysis runs. The CLI runs it inline (it is its own process); the app and the
// browser-mode server run it on a worker thread so their event loop never blocks.
import { type DumpRecord } from '../core/analysis';
import { analyzeDump, type AnalyzeOptions } from '../core/analysis';
import { DumpscopeError } from '../core/errors';
import { openSqlite } from '../core/index';
import { SymbolFolderStore, type SymbolFileIndex } from '../core/symbols';

export interface AnalysisRequest {
  path: string;
  partial: boolean;
  /** The index whose symbol folders to search (opened read-only by the analysis). */
  indexPath?: string | null;
  /** Identifies the symbol folders' state; stored with the dump to know when to re-symbolize. */
  symbolsKey?: string;
}

export type ProgressListener = (phase: string, done: number, total: number, message: string) => void;

export interface AnalysisRunner {
  analyze(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal): Promise<DumpRecord>;
  close?(): Promise<void>;
}

export function analyzeOptions(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal, folders?: SymbolFileIndex): AnalyzeOptions {
  return {
    allowTruncated: req.partial,
    onProgress,
    symbolFolders: folders,
    symbolsKey: req.symbolsKey ?? '',
    checkCancelled: () => {
      if (signal.aborted) throw new DumpscopeError('Cancelled', `${req.path}: cancelled`, { file: req.path });
    },
  };
}

/** Runs an analysis with the index's symbol folders (read-only connection), on this thread. */
export function runAnalysis(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal): DumpRecord {
  const db = req.indexPath ? openSqlite(req.indexPath, { readonly: true }) : null;
  try {
    const folders = db ? new SymbolFolderStore(db) : undefined;
    return analyzeDump(req.path, analyzeOptions(req, onProgress, signal, folders));
  } finally {
    db?.close();
  }
}

/** Runs the analysis on the calling thread. */
export class InlineRunner implements AnalysisRunner {
  async analyze(req: AnalysisRequest, onProgress: ProgressListener, signal: AbortSignal): Promise<DumpRecord> {
    return runAnalysis(req, onProgress, signal);
  }
}
