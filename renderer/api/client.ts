// The renderer's one client: the Electron preload's `window.dumpscope` when present, else HTTP +
// WebSocket to `dumpscope serve`. Features call `api()` and never know which carries them.
import { type ApiArgs, type ApiMethod, type ApiResult } from '../../shared/api';
import { type Bridge, type BridgeEventName, type BridgeEvents } from '../../shared/bridge';
import { asApiError } from './api-error';
import { createHttpBridge, type ConnectionState, type HttpBridge } from './http-bridge';

declare global {
  interface Window {
    dumpscope?: Bridge;
  }
}

export type TransportKind = 'ipc' | 'http';

/** A dropped DOM File, structurally (the desktop preload's getPathForFile takes one). */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}

export interface Client {
  kind: TransportKind;
  /** Rejects with an ApiError, whatever went wrong. */
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
  on<E extends BridgeEventName>(event: E, handler: (payload: BridgeEvents[E]) => void): () => void;
  connection(): ConnectionState;
  onConnection(fn: (s: ConnectionState) => void): () => void;
  /** The path of a dropped file, when the transport can know it (desktop only). */
  pathForFile(file: DroppedFile): string | null;
}

export function createClient(win: Window = window): Client {
  const ipc = win.dumpscope;
  const http: HttpBridge | null = ipc ? null : createHttpBridge(win.location);
  const bridge: Bridge = ipc ?? (http as HttpBridge);
  return {
    kind: ipc ? 'ipc' : 'http',
    call: (method, args) => bridge.call(method, args).catch((e: unknown) => Promise.reject(asApiError(e))),
    on: (event, handler) => bridge.on(event, handler),
    connection: () => http?.connection() ?? 'connected',
    onConnection: (fn) => http?.onConnection(fn) ?? (() => {}),
    pathForFile(file) {
      // Feature-detected: only the desktop preload can see a dropped file's path.
      const get = (bridge as Bridge & { getPathForFile?: (f: DroppedFile) => string }).getPathForFile;
      const p = get?.call(bridge, file);
      return p ? p : null;
    },
  };
}

let client: Client | null = null;

/** The app's client, made on first use. */
export function api(): Client {
  client ??= createClient();
  return client;
}

/** Tests and stories put a fake in. */
export function setClient(c: Client): void {
  client = c;
}
