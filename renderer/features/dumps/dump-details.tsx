// The selected dump's summary: what the index knows about it and what opening it cost, and whether
// its file is still the one indexed (a missing file is shown from the index; a changed one is
// re-indexed when opened).
import { type DumpSummary } from '../../../shared/types';
import { Copyable, Kbd, Untrusted, UntrustedLines } from '../../components/ui';
import { formatBytes, formatMs, formatWhen, plural } from '../../lib/format';
import { DUMP_STATUS, DumpStatusBadge } from './dump-status';

export function DumpDetails({ dump, isCurrent, onOpen, onReindex, onRemove }: { dump: DumpSummary; isCurrent: boolean; onOpen(): void; onReindex(): void; onRemove(): void }) {
  const missing = dump.status === 'missing';
  const changed = dump.status === 'changed';
  const openLabel = changed ? 'Re-index and open' : isCurrent ? 'Show threads' : missing ? 'Show from the index' : 'Open';
  const openTitle = changed
    ? 'The file changed since it was indexed: read it again (Enter)'
    : missing
      ? 'The file is gone: show what the index holds (Enter)'
      : 'Open this dump (Enter)';
  return (
    <div className="details" data-testid="dump-details">
      <div className="details-title">
        <span className="details-heading">
          <Untrusted text={dump.process} />
        </span>
        <span className="muted">pid {dump.pid}</span>
        {dump.signalName ? <span className="badge danger">{dump.signalName}</span> : null}
        {isCurrent ? <span className="badge accent">open</span> : null}
        <DumpStatusBadge status={dump.status} />
      </div>
      {dump.status && dump.status !== 'ok' ? (
        <div className={`message ${missing ? 'error' : 'warning'} dump-status-note`} role="note" data-testid="dump-status-note">
          {DUMP_STATUS[dump.status].explain}
        </div>
      ) : null}
      <div className="button-row">
        <button className="button primary" onClick={onOpen} title={openTitle}>
          {openLabel} <Kbd>Enter</Kbd>
        </button>
        <button
          className="button"
          onClick={onReindex}
          disabled={missing}
          title={missing ? 'The file is gone: there is nothing to read again' : 'Read the dump again, ignoring the index'}
        >
          Re-index
        </button>
        <button className="button danger-outline" onClick={onRemove} title="Forget this dump (Delete); the file stays">
          Remove <Kbd>Del</Kbd>
        </button>
      </div>
      <section className="details-section">
        <dl className="kv">
          <dt>Path</dt>
          <dd>
            <Copyable value={dump.path} className="mono wrap">
              <Untrusted text={dump.path} />
            </Copyable>
          </dd>
          <dt>Command</dt>
          <dd className="mono wrap">{dump.args ? <Untrusted text={dump.args} /> : <span className="faint">unknown</span>}</dd>
          <dt>Executable</dt>
          <dd className="mono wrap">{dump.executable ? <Untrusted text={dump.executable} /> : <span className="faint">unknown</span>}</dd>
          <dt>Process</dt>
          <dd>
            pid {dump.pid}
            {dump.uid !== null ? `, uid ${dump.uid}` : ''}, {dump.arch}
          </dd>
          <dt>Signal</dt>
          <dd>{dump.signalName ? `${dump.signalName} (${dump.signal})` : 'none: the process was not stopped by a signal (e.g. gcore of a live process)'}</dd>
          <dt>Runtime</dt>
          <dd>
            {dump.runtime ? (
              <>
                .NET (CoreCLR) {dump.runtime.version ? <Untrusted text={dump.runtime.version} /> : 'version unknown'}
                <div className="mono faint small wrap">
                  <Untrusted text={dump.runtime.path} />
                </div>
              </>
            ) : (
              'native (no CoreCLR found in the mappings)'
            )}
          </dd>
          <dt>Contents</dt>
          <dd>
            {plural(dump.threadCount, 'thread')}, {plural(dump.moduleCount, 'module')}, {plural(dump.notes.total, 'note')}
            {dump.notes.unknown ? ` (${dump.notes.unknown} of unknown types)` : ''}
          </dd>
          <dt>File</dt>
          <dd>
            {formatBytes(dump.size)}, modified {formatWhen(new Date(dump.mtimeMs).toISOString())}
          </dd>
          <dt>Indexed</dt>
          <dd>
            {formatWhen(dump.indexedAt)}
            {dump.indexStats ? `: read ${formatBytes(dump.indexStats.bytesRead)} in ${formatMs(dump.indexStats.elapsedMs)}` : ''}
          </dd>
          <dt>Opened</dt>
          <dd>{formatWhen(dump.openedAt)}</dd>
          <dt>Fingerprint</dt>
          <dd className="mono faint small wrap">{dump.fingerprint}</dd>
        </dl>
      </section>
      {dump.warnings.length > 0 ? (
        <section className="details-section">
          <h3 className="section-title">Warnings</h3>
          <ul className="warnings">
            {dump.warnings.map((w, i) => (
              <li key={i} className="mono">
                <UntrustedLines text={w} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
