import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_EVENTS, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type Bridge } from '../../../shared/bridge';
import { contextBridge, ipcRenderer } from '../../helpers/electron-stub';

let bridge: Required<Bridge>;

beforeAll(async () => {
  await import('../../../main/app/preload');
  bridge = contextBridge.exposed.get('dumpscope') as Required<Bridge>;
});

describe('the preload', () => {
  it('exposes exactly window.dumpscope with call, on and getPathForFile', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['dumpscope']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'getPathForFile', 'on']);
    for (const v of Object.values(bridge)) expect(typeof v).toBe('function');
  });

  it('sends a call over the call channel and unwraps the outcome', async () => {
    ipcRenderer.responder = () => ({ ok: true, value: [{ id: 1 }] });
    await expect(bridge.call('listDumps', {})).resolves.toEqual([{ id: 1 }]);
    expect(ipcRenderer.invoked.at(-1)).toEqual({ channel: IPC_CALL_CHANNEL, args: ['listDumps', {}] });
  });

  it('rejects with the plain ApiError the main process sent (its code survives the context bridge)', async () => {
    ipcRenderer.responder = () => ({ ok: false, error: { code: 'UnknownDump', message: 'no dump 9', where: 'index' } });
    const err: unknown = await bridge.call('listThreads', { dumpId: 9 }).catch((e: unknown) => e);
    expect(err).toEqual({ code: 'UnknownDump', message: 'no dump 9', where: 'index' });
    expect(err instanceof Error).toBe(false);
  });

  it('refuses an unknown method before IPC', async () => {
    const before = ipcRenderer.invoked.length;
    const err: unknown = await (bridge.call as (m: string, a: unknown) => Promise<unknown>)('rmrf', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UnknownMethod' });
    expect(ipcRenderer.invoked.length).toBe(before);
  });

  it('turns a malformed answer into Internal', async () => {
    ipcRenderer.responder = () => 'surprise';
    await expect(bridge.call('listDumps', {})).rejects.toMatchObject({ code: 'Internal' });
  });

  it('on() accepts the bridge events only', () => {
    expect(BRIDGE_EVENTS).toEqual(['progress', 'indexChanged', 'appCommand']);
    const on = bridge.on as (e: string, h: (p: unknown) => void) => () => void;
    for (const bad of ['__proto__', 'toString', 'ipc', 'dumpscope:event', '']) {
      expect(() => on(bad, () => {})).toThrow(/unknown event/);
    }
    expect(() => on('progress', 'not a function' as unknown as () => void)).toThrow(/handler/);
  });

  it('delivers events to their subscribers only, without the IPC event object, until unsubscribed', () => {
    const progress = vi.fn();
    const changed = vi.fn();
    const off = bridge.on('progress', progress);
    bridge.on('indexChanged', changed);
    const ipcEvent = { sender: 'secret' };
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { event: 'progress', payload: { jobId: 'a', phase: 'p', done: 1, total: 2, message: '' } });
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { event: 'bogus', payload: 1 });
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, 'garbage');
    expect(progress).toHaveBeenCalledTimes(1);
    expect(progress).toHaveBeenCalledWith({ jobId: 'a', phase: 'p', done: 1, total: 2, message: '' });
    expect(changed).not.toHaveBeenCalled();
    off();
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { event: 'progress', payload: { jobId: 'b', phase: 'p', done: 1, total: 2, message: '' } });
    expect(progress).toHaveBeenCalledTimes(1);
  });

  it('holds app commands sent before the UI subscribed, then delivers them in order', () => {
    ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, { event: 'appCommand', payload: { command: 'openDump', path: '/tmp/core.1' } });
    ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, { event: 'appCommand', payload: { command: 'importTranscript', path: '/tmp/t.txt' } });
    const got = vi.fn();
    bridge.on('appCommand', got);
    expect(got.mock.calls).toEqual([[{ command: 'openDump', path: '/tmp/core.1' }], [{ command: 'importTranscript', path: '/tmp/t.txt' }]]);
  });

  it('getPathForFile goes through webUtils', () => {
    expect(bridge.getPathForFile({ name: 'core.42', size: 1 })).toBe('/dropped/core.42');
  });
});

describe('the preload bundle', () => {
  it('is CommonJS and requires nothing but electron (a sandboxed preload can load nothing else)', () => {
    const file = path.resolve(__dirname, '../../../dist/app/preload.cjs');
    const code = fs.readFileSync(file, 'utf8');
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
  });
});
