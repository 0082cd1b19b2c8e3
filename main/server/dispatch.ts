// One API call from the HTTP door: the method is checked against API_METHODS and its
// arguments validated before the service sees them; every outcome is data, never a throw.
import { type Api, isApiMethod } from '../../shared/api';
import { type CallOutcome } from '../../shared/bridge';
import { validateArgs } from '../../shared/schemas';
import { isDumpscopeError } from '../core/errors';

export interface DispatchResult {
  /** HTTP status: 200 for every API outcome (errors are values), except a request that is malformed. */
  status: number;
  body: CallOutcome<unknown>;
}

export async function dispatch(api: Api, method: string, args: unknown, onInternal?: (e: unknown) => void): Promise<DispatchResult> {
  if (!isApiMethod(method)) {
    return { status: 404, body: { ok: false, error: { code: 'UnknownMethod', message: `no API method named ${JSON.stringify(method.slice(0, 100))}`, where: 'api' } } };
  }
  const valid = validateArgs(method, args);
  if (!valid.ok) return { status: 400, body: { ok: false, error: valid.error } };
  try {
    const fn = api[method] as (a: unknown) => Promise<unknown>;
    const value = await fn.call(api, valid.args);
    return { status: 200, body: { ok: true, value } };
  } catch (e) {
    if (isDumpscopeError(e)) return { status: 200, body: { ok: false, error: e.toApiError() } };
    onInternal?.(e);
    const message = e instanceof Error ? e.message : String(e);
    return { status: 500, body: { ok: false, error: { code: 'Internal', message: `Internal error in ${method}: ${message}`, where: method } } };
  }
}
