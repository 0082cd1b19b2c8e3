// A cheap content fingerprint that detects a changed dump without reading it whole: the size,
// the first 64 KiB (ELF header and program headers), the start of each note segment (threads
// and registers) and the last 64 KiB. A few hundred KiB at most, whatever the dump's size.
import { createHash } from 'node:crypto';
import { type FileSource } from '../io';

const CHUNK = 64 * 1024;

export function fingerprintFile(src: FileSource, noteSpans: { offset: number; size: number }[] = []): string {
  const h = createHash('sha256');
  h.update(`size:${src.size};`);
  h.update(src.readUpTo(0, CHUNK));
  for (const n of noteSpans.slice(0, 16)) h.update(src.readUpTo(n.offset, Math.min(n.size, CHUNK)));
  if (src.size > CHUNK) h.update(src.readUpTo(Math.max(CHUNK, src.size - CHUNK), CHUNK));
  return h.digest('hex').slice(0, 32);
}
