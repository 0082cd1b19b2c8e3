// The modules table's columns: one entry per column (see data-table). A row is the module with
// its symbol status (listModuleSymbols), matched by path.
import { type ModuleInfo, type ModuleSymbolStatus, type SymbolQuality } from '../../../shared/types';
import { type Column } from '../../components/data-table';
import { Untrusted } from '../../components/ui';
import { inert, inertLine } from '../../lib/inert';
import { baseName } from '../../lib/format';

export type ModuleRow = ModuleInfo & { symbols: ModuleSymbolStatus | null };

const SOURCE_TEXT: Record<string, string> = { memory: 'dump memory', file: 'file on disk' };

export const QUALITY: Record<SymbolQuality, { tone: string; title: string }> = {
  dwarf: { tone: 'ok', title: 'DWARF debug information: functions, inlined calls, source lines' },
  symtab: { tone: 'ok', title: 'A full symbol table (.symtab): every function, no source lines' },
  dynsym: { tone: 'warning', title: 'Only exported symbols (.dynsym): internal functions show as the nearest export' },
  none: { tone: 'danger', title: 'No symbols: frames show addresses only' },
};

export const CODE_SOURCE: Record<NonNullable<ModuleSymbolStatus['codeSource']>, string> = {
  'dump-path': 'the mapped path',
  'symbol-folder': 'a symbol folder',
  'dump-folder': "the dump's folder",
  memory: 'the dump',
};

export const SYMBOL_SOURCE: Record<NonNullable<ModuleSymbolStatus['symbolSource']>, string> = {
  module: 'the module itself',
  'build-id': '/usr/lib/debug (build-id)',
  debuglink: '.gnu_debuglink',
  'symbol-folder': 'a symbol folder',
  'dump-folder': "the dump's folder",
  memory: 'the dump',
};

export const MODULE_COLUMNS: Column<ModuleRow>[] = [
  { id: 'index', header: '#', width: 40, align: 'right', mono: true, text: (m) => String(m.index), sortKey: (m) => m.index },
  {
    id: 'name',
    header: 'Name',
    width: 180,
    text: (m) => m.name,
    render: (m) => (
      <span>
        <Untrusted text={m.name} />
        {m.deleted ? (
          <span className="badge warning" title="The file was deleted or replaced after the process mapped it">
            deleted
          </span>
        ) : null}
      </span>
    ),
  },
  {
    id: 'quality',
    header: 'Symbols',
    title: 'What symbols were found: dwarf (functions, inlines, lines), symtab (all functions), dynsym (exports only), none',
    width: 92,
    text: (m) => m.symbols?.quality ?? '',
    sortKey: (m) => (m.symbols ? ['none', 'dynsym', 'symtab', 'dwarf'].indexOf(m.symbols.quality) : null),
    render: (m) =>
      m.symbols ? (
        <span className={`badge ${QUALITY[m.symbols.quality].tone}`} title={QUALITY[m.symbols.quality].title}>
          {m.symbols.quality}
        </span>
      ) : (
        <span className="faint">—</span>
      ),
  },
  {
    id: 'symbolsFrom',
    header: 'Symbols from',
    title: 'The file the symbols were read from, and how it was found',
    width: 230,
    mono: true,
    text: (m) => m.symbols?.symbolFile ?? '',
    render: (m) =>
      m.symbols?.symbolFile ? (
        <span title={`${inertLine(m.symbols.symbolFile)}\nfound via ${m.symbols.symbolSource ? SYMBOL_SOURCE[m.symbols.symbolSource] : '?'}`}>
          {m.symbols.symbolSource ? SYMBOL_SOURCE[m.symbols.symbolSource] : ''}
          <span className="faint">
            {' · '}
            <Untrusted text={baseName(m.symbols.symbolFile)} />
          </span>
        </span>
      ) : m.symbols?.symbolSource ? (
        <span>{SYMBOL_SOURCE[m.symbols.symbolSource]}</span>
      ) : m.symbols?.quality === 'dynsym' && m.symbols.codeFile ? (
        <span title={`${inertLine(m.symbols.codeFile)}: its exported symbols (.dynsym) only`}>
          <Untrusted text={baseName(m.symbols.codeFile)} />
          <span className="faint"> · .dynsym only</span>
        </span>
      ) : (
        <span className="faint">not found</span>
      ),
  },
  {
    id: 'codeFrom',
    header: 'Code from',
    title: 'Where the module’s code and unwind tables came from (gcore leaves them out of the dump: a file with the same build-id is used)',
    width: 150,
    text: (m) => (m.symbols?.codeSource ? CODE_SOURCE[m.symbols.codeSource] : ''),
    render: (m) => (m.symbols?.codeSource ? <span title={m.symbols.codeFile ? inertLine(m.symbols.codeFile) : undefined}>{CODE_SOURCE[m.symbols.codeSource]}</span> : <span className="faint">not found</span>),
  },
  {
    id: 'notes',
    header: 'Notes',
    title: 'Why something is missing or was rejected (e.g. a file whose build-id does not match)',
    width: 70,
    align: 'right',
    text: (m) => (m.symbols?.notes ?? []).join(' '),
    sortKey: (m) => m.symbols?.notes.length ?? 0,
    render: (m) =>
      m.symbols && m.symbols.notes.length > 0 ? (
        <span className="badge warning" title={inert(m.symbols.notes.map(inertLine).join('\n'))}>
          {m.symbols.notes.length}
        </span>
      ) : (
        <span className="faint">—</span>
      ),
  },
  {
    id: 'buildId',
    header: 'Build-id',
    title: 'GNU build-id: how symbol files are matched to this module',
    width: 300,
    mono: true,
    text: (m) => m.buildId ?? '',
    render: (m) => (m.buildId ? <Untrusted text={m.buildId} /> : <span className="faint">none found</span>),
  },
  {
    id: 'source',
    header: 'Build-id from',
    title: 'Where the build-id was read: the module’s note in the dump’s memory (what actually ran), or the file on disk now (unverified: it may have changed since)',
    width: 118,
    text: (m) => (m.buildIdSource ? SOURCE_TEXT[m.buildIdSource] : ''),
    render: (m) =>
      m.buildIdSource === 'memory' ? (
        <span className="badge ok">dump memory</span>
      ) : m.buildIdSource === 'file' ? (
        <span className="badge warning" title="Read from the file on disk now: unverified against the dump">
          file on disk
        </span>
      ) : (
        <span className="faint">—</span>
      ),
  },
  { id: 'kind', header: 'Kind', width: 86, text: (m) => m.kind },
  { id: 'start', header: 'Start', title: 'First mapped address', width: 132, align: 'right', mono: true, text: (m) => m.start, sortKey: (m) => hexKey(m.start) },
  { id: 'end', header: 'End', width: 132, align: 'right', mono: true, text: (m) => m.end, sortKey: (m) => hexKey(m.end) },
  { id: 'bias', header: 'Load bias', title: 'Added to the file’s addresses to get run-time addresses', width: 132, align: 'right', mono: true, text: (m) => m.loadBias, sortKey: (m) => hexKey(m.loadBias) },
  { id: 'path', header: 'Path', width: 260, grow: true, mono: true, text: (m) => m.path },
];

/** Hex addresses sort by value: pad to 16 digits so string order is numeric order. */
function hexKey(hex: string): string {
  return hex.replace(/^0x/i, '').toLowerCase().padStart(16, '0');
}

/** Modules with their symbol status, matched by path (then name). */
export function mergeSymbols(modules: readonly ModuleInfo[], status: readonly ModuleSymbolStatus[]): ModuleRow[] {
  const byPath = new Map(status.map((s) => [s.path, s]));
  return modules.map((m) => ({ ...m, symbols: byPath.get(m.path) ?? null }));
}
