// The open job's progress: phase, message, a bar, and Cancel.
import { ProgressBar, Untrusted } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { useDumps } from './dumps-store';

export function JobProgress({ compact = false }: { compact?: boolean }) {
  const job = useDumps((s) => s.job);
  const cancel = useDumps((s) => s.cancel);
  if (!job) return null;
  const counts = job.total > 0 ? ` ${job.done}/${job.total}` : '';
  return (
    <div className={compact ? 'job compact' : 'job'} data-testid="job-progress">
      {!compact ? (
        <div className="job-label mono">
          Opening <Untrusted text={job.label} />
        </div>
      ) : null}
      <div className="job-line">
        <span className="job-phase">{job.phase}</span>
        <span className="job-message" title={inertLine(job.message)}>
          <Untrusted text={job.message} />
          {counts}
        </span>
        <button className="button small" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
      <ProgressBar done={job.done} total={job.total} label={`Opening ${job.label}`} />
    </div>
  );
}
