// The object the preload exposes as window.dumpscope: exactly the Bridge of shared/bridge.ts.
// Built from an ipcRenderer-like object so tests check the surface without Electron. It adds
// no methods per API call: new API methods need no change here (see CONVENTIONS, "The contract").
import { isApiMethod, type ApiArgs, type ApiMethod, type ApiResult } from '../../shared/api';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type Bridge, type BridgeEventName, type BridgeEvents, type CallOutcome, type DroppedFile } from '../../shared/bridge';
import { type ApiError } from '../../shared/errors';
import { isBridgeEventName, isEventMessage, type EventMessage } from './event-message';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** App commands that arrive before the renderer subscribes (a file passed on the command line). */
const MAX_PENDING_COMMANDS = 32;

type Handler = (payload: never) => void;

function isCallOutcome(value: unknown): value is CallOutcome<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function createPreloadBridge(ipc: IpcRendererLike, getPathForFile: (file: DroppedFile) => string): Required<Bridge> {
  const handlers = new Map<BridgeEventName, Set<Handler>>();
  const pendingCommands: EventMessage[] = [];

  const deliver = (message: EventMessage): void => {
    const set = handlers.get(message.event);
    if (!set || set.size === 0) {
      if (message.event === 'appCommand' && pendingCommands.length < MAX_PENDING_COMMANDS) pendingCommands.push(message);
      return;
    }
    for (const h of [...set]) {
      try {
        (h as (payload: unknown) => void)(message.payload);
      } catch (e) {
        console.error(`dumpscope: a handler of "${message.event}" threw`, e);
      }
    }
  };

  // The IpcRendererEvent (which carries the sender) never reaches the page.
  ipc.on(IPC_EVENT_CHANNEL, (_event, message) => {
    if (isEventMessage(message)) deliver(message);
  });

  const call = async <M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> => {
    if (!isApiMethod(method)) {
      const error: ApiError = { code: 'UnknownMethod', message: `Unknown API method ${JSON.stringify(String(method)).slice(0, 80)}`, where: 'preload' };
      throw error;
    }
    const outcome = await ipc.invoke(IPC_CALL_CHANNEL, method, args);
    if (!isCallOutcome(outcome)) {
      const error: ApiError = { code: 'Internal', message: 'Malformed answer from the main process', where: 'preload' };
      throw error;
    }
    if (outcome.ok) return outcome.value as ApiResult<M>;
    throw outcome.error; // a plain object: it survives the context bridge with its code
  };

  const on = <E extends BridgeEventName>(event: E, handler: (payload: BridgeEvents[E]) => void): (() => void) => {
    if (!isBridgeEventName(event)) throw new TypeError(`dumpscope.on: unknown event ${JSON.stringify(String(event)).slice(0, 80)}`);
    if (typeof handler !== 'function') throw new TypeError('dumpscope.on: the handler must be a function');
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler as Handler);
    if (event === 'appCommand' && pendingCommands.length > 0) {
      for (const m of pendingCommands.splice(0)) deliver(m);
    }
    return () => {
      set.delete(handler as Handler);
    };
  };

  return { call, on, getPathForFile: (file: DroppedFile) => getPathForFile(file) };
}
