// The time between two dumps in words. File modification times are all an ELF core offers
// (gcore writes no time note), and a copy may change them, so the words say "about".
import { type CompareInterval } from '../../../shared/types';

/** 850 ms, 12 s, 3 min 5 s, 2 h 14 min. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  const s = Math.round(abs / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${Math.floor(m / 60)} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function intervalBetween(aMs: number | null, bMs: number | null): CompareInterval | null {
  if (aMs === null || bMs === null || !Number.isFinite(aMs) || !Number.isFinite(bMs)) return null;
  const ms = bMs - aMs;
  return { ms, source: 'file-mtime', approximate: true, text: `about ${formatDuration(ms)}` };
}
