// What every CLI command gets: the API, output functions, and opening a dump with progress.
import { type Api } from '../../shared/api';
import { type DumpSummary } from '../../shared/types';
import { inert } from './format';

export interface CliContext {
  api: Api;
  out(text: string): void;
  err(text: string): void;
  /** Opens a dump; symbol folders given here are remembered in the index first. */
  open(dumpPath: string, opts?: { partial?: boolean; force?: boolean; symbols?: string[] }): Promise<DumpSummary>;
}

export function makeContext(api: Api, io: { out(t: string): void; err(t: string): void }): CliContext {
  return {
    api,
    out: io.out,
    err: io.err,
    async open(dumpPath, opts = {}) {
      for (const dir of opts.symbols ?? []) await api.addSymbolFolder({ path: dir });
      const d = await api.openDump({ path: dumpPath, partial: opts.partial, force: opts.force });
      for (const w of d.warnings) io.err(`dumpscope: warning: ${inert(w)}\n`);
      return d;
    },
  };
}
