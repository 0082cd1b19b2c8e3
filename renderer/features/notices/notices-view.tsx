// Notices quote paths, names and error messages: shown through <Untrusted>, like every text from a dump.
import { Untrusted } from '../../components/ui';
import { useNotices } from './notices-store';

export function NoticesView() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.tone}`}>
          <span className="notice-text">
            <Untrusted text={n.text} />
          </span>
          {n.detail ? (
            <span className="notice-detail">
              <Untrusted text={n.detail} />
            </span>
          ) : null}
          <button className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
