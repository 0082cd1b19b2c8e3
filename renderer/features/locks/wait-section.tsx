// What the selected thread waits on (ThreadInfo.wait): the summary, the object, the holder
// (proven from memory, or only likely, and marked so), and the evidence behind it.
import { type ThreadInfo } from '../../../shared/types';
import { Untrusted, UntrustedLines } from '../../components/ui';
import { useLocks } from './locks-store';

export function WaitSection({ thread, onPickThread, describe }: { thread: ThreadInfo; onPickThread(tid: number): void; describe(tid: number): string }) {
  const inCycle = useLocks((s) => s.inCycle.has(thread.tid));
  const w = thread.wait;
  if (!w) return <p className="slot-text">This dump's stacks were not analysed, so what the thread waits on is unknown.</p>;
  return (
    <div className="wait" data-testid="wait">
      <div className={`wait-summary ${inCycle ? 'danger' : w.isLockWait ? 'warning' : ''}`}>
        {inCycle ? <span className="badge danger">in a deadlock</span> : null}
        <Untrusted text={w.summary} />
      </div>
      <dl className="kv">
        <dt>Kind</dt>
        <dd className="mono">
          {w.kind}
          {w.timeout ? <span className="badge neutral">timed</span> : null}
        </dd>
        {w.address || w.objectName ? (
          <>
            <dt>Object</dt>
            <dd className="mono">
              {w.objectName ? (
                <>
                  <Untrusted text={w.objectName} />{' '}
                </>
              ) : null}
              {w.address ? <span className="faint">{w.address}</span> : null}
            </dd>
          </>
        ) : null}
        {w.holderTid !== null ? (
          <>
            <dt>Held by</dt>
            <dd>
              <button className="thread-chip" onClick={() => onPickThread(w.holderTid as number)}>
                {describe(w.holderTid)}
              </button>
              <span className="badge ok" title="Read from the lock's owner field in the dump's memory">
                proven
              </span>
              {w.holderExited ? <span className="badge warning">thread has exited</span> : null}
            </dd>
          </>
        ) : w.likelyHolderTid !== null ? (
          <>
            <dt>Likely held by</dt>
            <dd>
              <button className="thread-chip guessed" onClick={() => onPickThread(w.likelyHolderTid as number)}>
                {describe(w.likelyHolderTid)}
              </button>
              <span className="badge warning" title="Inferred, not read from memory">
                likely, not proven
              </span>
            </dd>
          </>
        ) : null}
      </dl>
      {w.evidence.length > 0 ? (
        <ul className="evidence">
          {w.evidence.map((e, i) => (
            <li key={i}>
              <span className="evidence-kind">{e.kind}</span>
              <span className="mono">
                <UntrustedLines text={e.text} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
