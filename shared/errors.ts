// Errors cross every door (IPC, HTTP, CLI) as plain data: {code, message, where}.
// Codes are stable PascalCase strings; scripts and tests match on them, never on messages.

export const ERROR_CODES = [
  // The file itself
  'FileNotFound',
  'NotAFile',
  'PermissionDenied',
  'EmptyFile',
  'ReadFailed',
  // ELF structure
  'NotElf',
  'NotCore',
  'UnsupportedClass',
  'UnsupportedEndian',
  'UnsupportedMachine',
  'BadHeader',
  'BadProgramHeaders',
  'BadSectionHeaders',
  'TruncatedFile',
  'TruncatedNote',
  'BadNote',
  'NoThreads',
  'LimitExceeded',
  // Debug information and unwinding
  'BadDwarf',
  'BadCfi',
  'MissingDebugInfo',
  // Index
  'IndexFailed',
  'IndexBusy',
  'UnknownDump',
  'DumpChanged',
  'DumpMissing',
  // Requests
  'BadRequest',
  'UnknownMethod',
  'UnknownThread',
  'Unauthorized',
  'Cancelled',
  'Timeout',
  // Transcripts and engines
  'BadTranscript',
  'EngineMissing',
  'EngineFailed',
  // Capture
  'NoSuchProcess',
  'CaptureFailed',
  'NotEnoughSpace',
  'UnsupportedCompression',
  // Anything not foreseen: a bug
  'Internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it crosses the API. `where` names the file, offset or component. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  where?: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === 'string' && (v.where === undefined || typeof v.where === 'string');
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
