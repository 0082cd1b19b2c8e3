// The one surface the renderer sees, whatever carries it: in Electron the preload exposes it
// as `window.dumpscope`; in browser mode the HTTP + WebSocket transport implements it.
import { type ApiArgs, type ApiEvents, type ApiMethod, type ApiResult } from './api';

/** Commands the desktop shell sends to the window (native menus, files opened by the OS). */
export type AppCommand =
  | { command: 'openDump'; path: string }
  | { command: 'importTranscript'; path: string }
  | { command: 'addSymbolFolder'; path: string }
  | { command: 'compareWith'; path: string }
  | { command: 'exportReport' }
  | { command: 'focusFilter' }
  | { command: 'goToThread' };

export interface BridgeEvents extends ApiEvents {
  appCommand: AppCommand;
}

export type BridgeEventName = keyof BridgeEvents;
export const BRIDGE_EVENTS = ['progress', 'indexChanged', 'appCommand'] as const satisfies readonly BridgeEventName[];

/** A DOM File, typed structurally because shared/ compiles without the DOM library. */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}

export interface Bridge {
  /**
   * Rejects with a plain ApiError object ({code, message, where}), not an Error: Electron's
   * context bridge drops an Error's own properties such as `code`.
   */
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
  /** Subscribes to an event; returns the unsubscribe function. Unknown event names throw. */
  on<E extends BridgeEventName>(event: E, handler: (payload: BridgeEvents[E]) => void): () => void;
  /**
   * Desktop only: the file-system path of a file dropped on the window ('' when it has none).
   * A sandboxed renderer cannot see paths (File.path is gone since Electron 32), and opening a
   * dropped dump needs one. Browser mode leaves it undefined.
   */
  getPathForFile?(file: DroppedFile): string;
}

/** The IPC channel names the Electron preload and main process use. */
export const IPC_CALL_CHANNEL = 'dumpscope:call';
export const IPC_EVENT_CHANNEL = 'dumpscope:event';

/** What crosses IPC for a call's result: a value or an ApiError, never a thrown Error. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; where?: string } };
