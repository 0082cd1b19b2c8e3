// The modules table's columns: one entry per column (see data-table).
import { type ModuleInfo } from '../../../shared/types';
import { type Column } from '../../components/data-table';

const SOURCE_TEXT: Record<string, string> = { memory: 'dump memory', file: 'file on disk' };

export const MODULE_COLUMNS: Column<ModuleInfo>[] = [
  { id: 'index', header: '#', width: 40, align: 'right', mono: true, text: (m) => String(m.index), sortKey: (m) => m.index },
  {
    id: 'name',
    header: 'Name',
    width: 180,
    text: (m) => m.name,
    render: (m) => (
      <span>
        {m.name}
        {m.deleted ? (
          <span className="badge warning" title="The file was deleted or replaced after the process mapped it">
            deleted
          </span>
        ) : null}
      </span>
    ),
  },
  { id: 'kind', header: 'Kind', width: 96, text: (m) => m.kind },
  { id: 'start', header: 'Start', title: 'First mapped address', width: 132, align: 'right', mono: true, text: (m) => m.start, sortKey: (m) => hexKey(m.start) },
  { id: 'end', header: 'End', width: 132, align: 'right', mono: true, text: (m) => m.end, sortKey: (m) => hexKey(m.end) },
  { id: 'bias', header: 'Load bias', title: 'Added to the file’s addresses to get run-time addresses', width: 132, align: 'right', mono: true, text: (m) => m.loadBias, sortKey: (m) => hexKey(m.loadBias) },
  {
    id: 'buildId',
    header: 'Build-id',
    title: 'GNU build-id: how symbol files are matched to this module',
    width: 330,
    mono: true,
    text: (m) => m.buildId ?? '',
    render: (m) => (m.buildId ? m.buildId : <span className="faint">none found</span>),
  },
  {
    id: 'source',
    header: 'Build-id from',
    title: 'Where the build-id was read: the module’s note in the dump’s memory (what actually ran), or the file on disk now (unverified: it may have changed since)',
    width: 128,
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
  { id: 'path', header: 'Path', width: 260, grow: true, mono: true, text: (m) => m.path },
];

/** Hex addresses sort by value: pad to 16 digits so string order is numeric order. */
function hexKey(hex: string): string {
  return hex.replace(/^0x/i, '').toLowerCase().padStart(16, '0');
}
