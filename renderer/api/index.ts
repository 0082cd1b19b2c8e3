// api: the renderer's client over IPC (Electron) or HTTP + WebSocket (browser mode).
export { api, setClient, createClient, type Client, type TransportKind } from './client';
export { type ConnectionState } from './http-bridge';
export { asApiError, describeError } from './api-error';
