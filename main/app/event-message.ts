// What crosses IPC_EVENT_CHANNEL from the main process to a window: one bridge event and its
// payload. Shared by the main side (ipc.ts, shell.ts) and the preload.
import { BRIDGE_EVENTS, type BridgeEventName, type BridgeEvents } from '../../shared/bridge';

export type EventMessage = { [E in BridgeEventName]: { event: E; payload: BridgeEvents[E] } }[BridgeEventName];

export function isBridgeEventName(name: unknown): name is BridgeEventName {
  return typeof name === 'string' && (BRIDGE_EVENTS as readonly string[]).includes(name);
}

/** Checks the envelope only; payloads come from our own main process. */
export function isEventMessage(value: unknown): value is EventMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isBridgeEventName(v.event) && 'payload' in v;
}
