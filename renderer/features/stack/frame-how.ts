// How a frame was found and why a walk stopped, in the words and tones every stack view uses:
// a scanned frame must never look as trusted as a CFI one.
import { type FrameHow, type StopReason } from '../../../shared/types';

export const HOW: Record<FrameHow, { label: string; tone: string; title: string }> = {
  context: { label: 'regs', tone: 'ok', title: "From the thread's registers: exact" },
  cfi: { label: 'cfi', tone: 'ok', title: 'Unwound with DWARF call-frame information: trusted' },
  fp: { label: 'fp', tone: 'neutral', title: 'Found through the frame-pointer chain: usually right' },
  scan: { label: 'scan', tone: 'warning', title: 'Found by scanning the stack for return addresses: a guess' },
  managed: { label: '.net', tone: 'accent', title: 'A managed frame, from a runtime transcript' },
};

export const STOP: Record<StopReason, string> = {
  ok: 'the walk reached the outermost frame',
  missingMemory: 'the walk stopped: stack memory missing from the dump',
  noCfi: 'the walk stopped: no unwind information for the next frame',
  loop: 'the walk stopped: the stack loops',
  depthLimit: 'the walk stopped at the depth limit',
};
