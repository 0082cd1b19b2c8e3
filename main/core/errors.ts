// Typed errors of the engine. Parsers throw these, never strings; the API turns any other
// exception into `Internal` (a bug).
import { type ApiError, type ErrorCode } from '../../shared/errors';

export interface DumpscopeErrorDetails {
  /** The file the problem is in. */
  file?: string;
  /** Byte offset in that file, when known. */
  offset?: number;
  expected?: string;
  actual?: string;
  /** Component or place, when not a file offset (e.g. "index", "gdb"). */
  where?: string;
}

export class DumpscopeError extends Error {
  readonly code: ErrorCode;
  readonly details: DumpscopeErrorDetails;

  constructor(code: ErrorCode, message: string, details: DumpscopeErrorDetails = {}) {
    super(message);
    this.name = 'DumpscopeError';
    this.code = code;
    this.details = details;
  }

  /** Where the problem is, as one short string: "core.123 at offset 0x40" or a component name. */
  get where(): string | undefined {
    const { file, offset, where } = this.details;
    if (file !== undefined && offset !== undefined) return `${file} at offset 0x${offset.toString(16)}`;
    return file ?? where;
  }

  toApiError(): ApiError {
    const where = this.where;
    return where === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, where };
  }
}

/** A file does not have the shape its format requires. */
export class DumpFormatError extends DumpscopeError {
  constructor(code: ErrorCode, message: string, details: DumpscopeErrorDetails = {}) {
    super(code, message, details);
    this.name = 'DumpFormatError';
  }
}

export function isDumpscopeError(e: unknown): e is DumpscopeError {
  return e instanceof DumpscopeError;
}

/** Any thrown value as an ApiError; unknown exceptions become `Internal`. */
export function toApiError(e: unknown): ApiError {
  if (isDumpscopeError(e)) return e.toApiError();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'Internal', message: `Internal error: ${message}` };
}
