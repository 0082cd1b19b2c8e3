// A transcript file read for import (the CLI's `import`, the desktop's Import Transcript…):
// bounded in size, and refused when it is binary rather than a debugger's text output.
import * as fs from 'node:fs';
import { DumpscopeError } from '../errors';

/** The same bound as pasted text (shared/schemas.ts, importTranscript). */
export const MAX_TRANSCRIPT_BYTES = 32 * 1024 * 1024;

export function readTranscriptFile(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new DumpscopeError('FileNotFound', `${file}: no such file`, { file });
  }
  if (!st.isFile()) throw new DumpscopeError('NotAFile', `${file}: is not a file`, { file });
  if (st.size > MAX_TRANSCRIPT_BYTES) throw new DumpscopeError('BadTranscript', `${file}: ${st.size} bytes is more than a transcript may have (${MAX_TRANSCRIPT_BYTES})`, { file });
  const bytes = fs.readFileSync(file);
  if (bytes.includes(0)) throw new DumpscopeError('BadTranscript', `${file}: is binary, not a debugger transcript (a NUL byte at offset ${bytes.indexOf(0)})`, { file });
  return bytes.toString('utf8');
}
