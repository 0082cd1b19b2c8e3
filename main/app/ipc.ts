// The Electron door of the API, without Electron: registerIpc takes an ipcMain-like object so
// tests drive it directly. Every call is checked (sender, method name, arguments) before it
// reaches the API, and every result crosses as a CallOutcome: thrown values never cross IPC
// (Electron would flatten them to a message and lose the code).
import { isApiMethod, type Api, type ApiEvents } from '../../shared/api';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallOutcome } from '../../shared/bridge';
import { isApiError, type ApiError } from '../../shared/errors';
import { validateArgs } from '../../shared/schemas';
import { type EmitFn } from '../api';
import { isDumpscopeError, toApiError } from '../core/errors';
import { isAppUrl } from './app-protocol';
import { type EventMessage } from './event-message';

export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

type Outcome = CallOutcome<unknown>;

const fail = (error: ApiError): Outcome => ({ ok: false, error });

/** Any thrown value as a plain ApiError: typed errors keep their code, the rest is Internal. */
export function toCallError(e: unknown): ApiError {
  const err = isDumpscopeError(e) ? e.toApiError() : isApiError(e) ? e : toApiError(e);
  // A fresh plain object: structured clone keeps exactly these fields.
  return err.where === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, where: err.where };
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Validates and runs one call. Never throws. */
export async function dispatchCall(api: Api, method: unknown, args: unknown, log: (e: unknown) => void = defaultLog): Promise<Outcome> {
  if (!isApiMethod(method)) return fail({ code: 'UnknownMethod', message: `Unknown API method ${describe(method)}`, where: 'ipc' });
  const valid = validateArgs(method, args);
  if (!valid.ok) return fail(valid.error);
  try {
    const fn = api[method] as unknown as (a: unknown) => Promise<unknown>;
    return { ok: true, value: await fn.call(api, valid.args) };
  } catch (e) {
    const error = toCallError(e);
    if (error.code === 'Internal') log(e); // a bug: keep the stack in the main process's log
    return fail(error);
  }
}

/**
 * Answers IPC_CALL_CHANNEL. A sender that is not one of our windows' app:// main frames gets
 * Unauthorized and its message never reaches the API. Returns the unregister function.
 */
export function registerIpc<E>(ipcMain: IpcMainLike<E>, api: Api, isTrustedSender: (event: E) => boolean, log: (e: unknown) => void = defaultLog): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event: E, method: unknown, args: unknown, ...rest: unknown[]) => {
    if (!isTrustedSender(event)) {
      log(`dropped an IPC call from an untrusted sender (method ${describe(method)})`);
      return fail({ code: 'Unauthorized', message: 'This frame may not call the dumpscope API', where: 'ipc' });
    }
    if (rest.length > 0) return fail({ code: 'BadRequest', message: 'A call takes a method name and one argument object', where: 'ipc' });
    return dispatchCall(api, method, args, log);
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}

/** The parts of an IpcMainInvokeEvent the trust check reads (structurally typed for tests). */
export interface SenderLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Trusted: the main frame of one of our windows, showing app://dumpscope. A subframe, a
 * destroyed frame, another webContents (devtools, a stray window) or another origin is not.
 */
export function isTrustedSender(event: SenderLike, isOurWebContents: (id: number) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isOurWebContents(event.sender.id) && isAppUrl(frame.url);
}

/** Whatever can receive an event message: a window's webContents. */
export interface EventSink {
  send(channel: string, message: EventMessage): void;
  isDestroyed?(): boolean;
}

export function sendEvent(sink: EventSink, message: EventMessage): void {
  if (sink.isDestroyed?.()) return;
  sink.send(IPC_EVENT_CHANNEL, message);
}

/** The service's `emit`: API events (progress, indexChanged) go to every open window. */
export function createEventForwarder(targets: () => Iterable<EventSink>, also?: (message: EventMessage) => void): EmitFn {
  return <K extends keyof ApiEvents>(event: K, payload: ApiEvents[K]) => {
    const message = { event, payload } as EventMessage;
    for (const sink of targets()) sendEvent(sink, message);
    also?.(message);
  };
}

function defaultLog(e: unknown): void {
  console.error('dumpscope:', e);
}
