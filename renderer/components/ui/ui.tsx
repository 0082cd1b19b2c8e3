// Small building blocks shared by views: messages, progress, keyboard hints, copyable values.
import { useState, type ReactNode, type RefObject } from 'react';
import { type ApiError } from '../../../shared/errors';
import { inert, inertLine } from '../../lib/inert';

/**
 * Text from a dump (a name, path, symbol, command line, or a message quoting one): its control and
 * bidi characters shown escaped as the CLI prints them (lib/inert.ts), in a <bdi> so right-to-left
 * text inside it cannot reorder what is around it. Every view renders such text through this (or,
 * in attributes and other plain strings, through `inertLine`).
 */
export function Untrusted({ text, className }: { text: string | null | undefined; className?: string }) {
  if (text === null || text === undefined || text === '') return null;
  return <bdi className={className ? `untrusted ${className}` : 'untrusted'}>{inertLine(text)}</bdi>;
}

/** Like Untrusted, newlines kept (a warning, an error message, evidence over several lines). */
export function UntrustedLines({ text, className }: { text: string | null | undefined; className?: string }) {
  if (text === null || text === undefined || text === '') return null;
  return <bdi className={className ? `untrusted ${className}` : 'untrusted'}>{inert(text)}</bdi>;
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

/**
 * A view's filter box (Ctrl+F): Escape clears it, Down or Enter moves into the table it filters.
 */
export function FilterField({
  inputRef,
  tableRef,
  value,
  onChange,
  placeholder,
  label,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  tableRef: RefObject<HTMLDivElement | null>;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  label: string;
}) {
  return (
    <label className="field">
      <span className="field-label">Filter</span>
      <input
        ref={inputRef}
        className="input"
        type="search"
        placeholder={placeholder}
        value={value}
        aria-label={label}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onChange('');
          if (e.key === 'ArrowDown' || e.key === 'Enter') {
            e.preventDefault();
            tableRef.current?.focus();
          }
        }}
      />
      <Kbd>Ctrl+F</Kbd>
    </label>
  );
}

/** An API error as a person reads it: what failed, the message, the code and where. */
export function ErrorMessage({ title, error, onDismiss, children }: { title: string; error: ApiError; onDismiss?: () => void; children?: ReactNode }) {
  return (
    <div className="message error" role="alert">
      <div className="message-head">
        <strong>
          <Untrusted text={title} />
        </strong>
        <span className="badge danger mono">{inertLine(error.code)}</span>
        {onDismiss ? (
          <button className="icon-button push-right" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
            ×
          </button>
        ) : null}
      </div>
      <div className="message-body mono">
        <UntrustedLines text={error.message} />
      </div>
      {error.where && !error.message.includes(error.where) ? (
        <div className="message-where">
          where: <Untrusted text={error.where} />
        </div>
      ) : null}
      {children}
    </div>
  );
}

/** Determinate when `total` > 0, otherwise an indeterminate stripe. */
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="progress" role="progressbar" aria-label={inertLine(label)} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
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
      title={copied ? 'Copied' : `Copy ${inertLine(value)}`}
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
      {children ?? <Untrusted text={value} />}
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
