// server: browser mode. Takes an Api (the service) and the built renderer; serves both on
// 127.0.0.1 behind a random token, with events over a WebSocket. Used by `dumpscope serve`.
export { startServer, securityHeaders, MAX_BODY_BYTES, type ServerOptions, type RunningServer } from './http-server';
export { dispatch, type DispatchResult } from './dispatch';
export { checkRequest, cookieName, newToken, type GuardVerdict } from './guard';
