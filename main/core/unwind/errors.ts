// The typed error of this stage: unwind tables that do not have the shape DWARF requires
// (truncated entries, unknown opcodes, bad encodings, runaway expressions).
import { DumpscopeError } from '../errors';

export class BadCfiError extends DumpscopeError {
  constructor(message: string, details: { file?: string; offset?: number; where?: string; expected?: string; actual?: string } = {}) {
    super('BadCfi', message, details);
    this.name = 'BadCfiError';
  }
}

export function isBadCfi(e: unknown): e is BadCfiError {
  return e instanceof BadCfiError;
}
