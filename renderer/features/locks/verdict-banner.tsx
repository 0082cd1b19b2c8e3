// The wait-for graph's verdict over the threads table: a deadlock names its threads (click one
// to select it); otherwise the verdict's own words. Only what getLocks returned.
import { Untrusted, UntrustedLines } from '../../components/ui';
import { useLocks } from './locks-store';

export function VerdictBanner({ onPickThread, describe }: { onPickThread(tid: number): void; describe(tid: number): string }) {
  const { graph, status, error } = useLocks();
  if (status === 'error' && error) {
    return (
      <div className="verdict neutral" role="status">
        The lock analysis is not available for this dump: <UntrustedLines text={error.message} />
      </div>
    );
  }
  if (!graph) return null;
  const v = graph.verdict;
  return (
    <div className={`verdict ${v.deadlock ? 'deadlock' : 'neutral'}`} role="status" data-testid="verdict">
      <span className="verdict-title">{v.deadlock ? 'Deadlock' : 'No deadlock'}</span>
      <span className="verdict-text">
        <Untrusted text={v.summary} />
      </span>
      {graph.cycles.map((cycle, i) => (
        <span key={i} className="verdict-cycle">
          {cycle.map((tid, j) => (
            <span key={tid}>
              <button className="thread-chip" onClick={() => onPickThread(tid)} title={`Select tid ${tid}`}>
                {describe(tid)}
              </button>
              {j < cycle.length - 1 ? <span className="faint"> → </span> : <span className="faint"> → ↺</span>}
            </span>
          ))}
        </span>
      ))}
    </div>
  );
}
