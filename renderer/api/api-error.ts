// Every failed call reaches the UI as an ApiError ({code, message, where}), whichever transport
// carried it: the preload rejects with that plain object, the HTTP transport builds it.
import { type ApiError, isApiError } from '../../shared/errors';

export function asApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  if (typeof e === 'object' && e !== null && 'message' in e && typeof (e as { message: unknown }).message === 'string') {
    return { code: 'Internal', message: (e as { message: string }).message };
  }
  return { code: 'Internal', message: String(e) };
}

/** One line for a person: the message, and the code when the message does not say it. */
export function describeError(e: ApiError): string {
  return e.message.includes(e.code) ? e.message : `${e.message} (${e.code})`;
}
