// `--interval` values: 5s, 500ms, 2m, 1.5s, or a bare number of seconds.
import { DumpscopeError } from '../errors';

/** The longest wait between two dumps we accept: longer is almost surely a typo. */
export const MAX_INTERVAL_MS = 60 * 60 * 1000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000 };

/** Milliseconds for an interval text; BadRequest with the accepted forms otherwise. */
export function parseInterval(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min)?\s*$/i.exec(text);
  const bad = (why: string) =>
    new DumpscopeError('BadRequest', `--interval ${JSON.stringify(text)}: ${why} (use e.g. 5s, 500ms, 2m, or a number of seconds)`, {
      where: 'interval',
    });
  if (!m) throw bad('not a duration');
  const ms = Math.round(Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]);
  if (!Number.isFinite(ms)) throw bad('not a duration');
  if (ms > MAX_INTERVAL_MS) throw bad('longer than one hour');
  return ms;
}

export function formatInterval(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
