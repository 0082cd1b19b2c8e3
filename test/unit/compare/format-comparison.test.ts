// The compare command's text: dump text made inert for a terminal (no control character gets
// through), the verdict right after the two dumps, and the table of threads.
import { describe, expect, it } from 'vitest';
import { compareDumps } from '../../../main/core/compare';
import { formatComparison } from '../../../main/cli/commands-compare';
import { mutexWait, running, side } from './builders';

describe('formatComparison', () => {
  it('shows hostile names escaped, on one line each', () => {
    const evil = '\u001b]0;pwned\u0007\u001b[2J<script>\nnext line';
    const mk = (id: number, pc: string) =>
      side(
        [
          { tid: 1, frames: [['0x30', evil], ['0x10', 'a']], wait: mutexWait('0x100', evil, 2) },
          { tid: 2, frames: [['0x30', '__lll_lock_wait'], ['0x20', 'b']], wait: mutexWait('0x200', 'y', 1) },
          { tid: 3, frames: [[pc, evil]], wait: running() },
        ],
        { id, path: `/cores/${evil}.${id}`, process: evil, mtimeMs: 1_700_000_000_000 + id * 3000 },
      );
    const text = formatComparison(compareDumps(mk(1, '0x1'), mk(2, '0x2')));
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('\\x1b]0;pwned\\x07\\x1b[2J<script>\\nnext line');
    const lines = text.split('\n');
    expect(lines[0]).toBe('A: /cores/\\x1b]0;pwned\\x07\\x1b[2J<script>\\nnext line.1: \\x1b]0;pwned\\x07\\x1b[2J<script>\\nnext line (pid 100), 3 threads, file time 2023-11-14 22:13:23 UTC');
    expect(lines[1]).toMatch(/\(about 3 s later\)$/);
    expect(lines[3]).toBe('Threads #1 and #2 are blocked at the same frames in both dumps, taken about 3 s apart; the deadlock between them is confirmed. Thread #3 progressed.');
    expect(text).toMatch(/^progressed {2}3 {4}3 {2}prog`\\x1b\]0;pwned/m);
  });
});
