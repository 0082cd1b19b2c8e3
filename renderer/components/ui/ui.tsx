// Small building blocks shared by views: messages, progress, keyboard hints, copyable values.
import { useState, type ReactNode } from 'react';
import { type ApiError } from '../../../shared/errors';

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

/** An API error as a person reads it: what failed, the message, the code and where. */
export function ErrorMessage({ title, error, onDismiss, children }: { title: string; error: ApiError; onDismiss?: () => void; children?: ReactNode }) {
  return (
    <div className="message error" role="alert">
      <div className="message-head">
        <strong>{title}</strong>
        <span className="badge danger mono">{error.code}</span>
        {onDismiss ? (
          <button className="icon-button push-right" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
            ×
          </button>
        ) : null}
      </div>
      <div className="message-body mono">{error.message}</div>
      {error.where && !error.message.includes(error.where) ? <div className="message-where">where: {error.where}</div> : null}
      {children}
    </div>
  );
}

/** Determinate when `total` > 0, otherwise an indeterminate stripe. */
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
      <div className={`progress-fill${pct === null ? ' indeterminate' : ''}`} style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}

/** A value that copies itself on click (identities, addresses). */
export function Copyable({ value, children, className }: { value: string; children?: ReactNode; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      className={`copyable ${className ?? ''}`}
      title={copied ? 'Copied' : `Copy ${value}`}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          },
          () => {},
        );
      }}
    >
      {children ?? value}
      {copied ? <span className="copied">copied</span> : null}
    </button>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <div className="empty-title">{title}</div>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
