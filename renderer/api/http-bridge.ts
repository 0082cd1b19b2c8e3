// The browser-mode transport: POST /api/<method> for calls and a WebSocket on /events for
// events, both authenticated by the HttpOnly cookie `dumpscope serve` set when the page opened.
import { type ApiArgs, type ApiEvents, type ApiMethod, type ApiResult, API_EVENTS } from '../../shared/api';
import { type Bridge, type BridgeEventName, type BridgeEvents, type CallOutcome } from '../../shared/bridge';
import { type ApiError, isApiError } from '../../shared/errors';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'unauthorized';

export interface HttpBridge extends Bridge {
  connection(): ConnectionState;
  onConnection(fn: (s: ConnectionState) => void): () => void;
}

type Handler = (payload: never) => void;

export function createHttpBridge(location: { host: string; protocol: string }): HttpBridge {
  const handlers = new Map<BridgeEventName, Set<Handler>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let retryMs = 500;

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const fn of connectionListeners) fn(s);
  };

  const connect = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/events`);
    ws.onopen = () => {
      retryMs = 500;
      setState('connected');
    };
    ws.onmessage = (m: MessageEvent<string>) => {
      let msg: { event?: unknown; payload?: unknown };
      try {
        msg = JSON.parse(m.data) as typeof msg;
      } catch {
        return;
      }
      const event = msg.event;
      if (typeof event !== 'string' || !(API_EVENTS as readonly string[]).includes(event)) return;
      for (const h of handlers.get(event as keyof ApiEvents) ?? []) (h as (p: unknown) => void)(msg.payload);
    };
    ws.onclose = () => {
      if (state !== 'unauthorized') setState('disconnected');
      // The server may be restarting: keep trying, slower each time.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();

  return {
    async call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
      let res: Response;
      try {
        res = await fetch(`./api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(args),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch (e) {
        throw { code: 'Internal', message: `cannot reach dumpscope serve: ${(e as Error).message}`, where: 'http' } satisfies ApiError;
      }
      let body: CallOutcome<ApiResult<M>> | null;
      try {
        body = (await res.json()) as CallOutcome<ApiResult<M>>;
      } catch {
        body = null;
      }
      if (res.status === 401) setState('unauthorized');
      if (body && body.ok) return body.value;
      if (body && !body.ok && isApiError(body.error)) throw body.error;
      throw { code: 'Internal', message: `dumpscope serve answered HTTP ${res.status} to ${method}`, where: 'http' } satisfies ApiError;
    },
    on<E extends BridgeEventName>(event: E, handler: (payload: BridgeEvents[E]) => void): () => void {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as Handler);
      return () => set.delete(handler as Handler);
    },
    connection: () => state,
    onConnection(fn) {
      connectionListeners.add(fn);
      return () => connectionListeners.delete(fn);
    },
  };
}
