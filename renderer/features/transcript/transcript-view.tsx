// The Transcript tab. Debugger transcripts (lldb, dotnet-dump, gdb) attach here once the
// transcript API exists; until then it shows the dump's identity table from the index, in the
// transcript editor, so the grammar and the editor are in place. Nothing here is invented.
import { lazy, Suspense, useMemo } from 'react';
import { EmptyState } from '../../components/ui';
import { useDumps } from '../dumps';
import { useThreads } from '../threads';
import { identityTable } from './identity-table';

const MonacoView = lazy(() => import('../../components/monaco/monaco-view').then((m) => ({ default: m.MonacoView })));

export function TranscriptView() {
  const dump = useDumps((s) => s.current);
  const threads = useThreads((s) => s.threads);
  const status = useThreads((s) => s.status);
  const text = useMemo(() => (dump && status === 'ready' ? identityTable(dump, threads) : ''), [dump, threads, status]);
  if (!dump) return <EmptyState title="No dump open">Open a dump to see its identity table here.</EmptyState>;
  return (
    <div className="view-column">
      <div className="toolbar">
        <span className="toolbar-note">
          <strong>Identity table</strong> of {dump.process}, generated from the index (what <span className="mono">dumpscope threads</span>{' '}
          prints). Imported debugger transcripts will appear here too, read against it.
        </span>
      </div>
      <div className="editor-area">
        <Suspense fallback={<div className="loading-line">Loading the editor…</div>}>
          {text ? <MonacoView value={text} label="Identity table" /> : <div className="loading-line">Loading threads…</div>}
        </Suspense>
      </div>
    </div>
  );
}
