import { describe, expect, it, vi } from 'vitest';
import { type Api } from '../../../shared/api';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallOutcome } from '../../../shared/bridge';
import { type DumpSummary } from '../../../shared/types';
import { DumpscopeError } from '../../../main/core/errors';
import { createEventForwarder, isTrustedSender, registerIpc, type IpcMainLike, type SenderLike } from '../../../main/app/ipc';
import { type EventMessage } from '../../../main/app/event-message';

type Handler = (event: SenderLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike<SenderLike> {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(event: SenderLike, ...args: unknown[]): Promise<CallOutcome<unknown>> {
    const h = this.handlers.get(IPC_CALL_CHANNEL);
    if (!h) throw new Error('no handler');
    return (await h(event, ...args)) as CallOutcome<unknown>;
  }
}

const OUR_WINDOW = 7;
const appFrame = (url = 'app://dumpscope/index.html', parent: unknown = null): SenderLike => ({ sender: { id: OUR_WINDOW }, senderFrame: { url, parent } });
const trusted = (e: SenderLike) => isTrustedSender(e, (id) => id === OUR_WINDOW);

function fakeApi(): Api & { [K in keyof Api]: ReturnType<typeof vi.fn> } {
  return {
    openDump: vi.fn(async () => ({ id: 1 }) as unknown as DumpSummary),
    listDumps: vi.fn(async () => []),
    removeDump: vi.fn(async () => ({ removed: true })),
    listThreads: vi.fn(async () => []),
    listModules: vi.fn(async () => []),
    listMappings: vi.fn(async () => []),
    cancelJob: vi.fn(async () => ({ cancelled: false })),
  } as Api & { [K in keyof Api]: ReturnType<typeof vi.fn> };
}

function setup() {
  const ipc = new FakeIpcMain();
  const api = fakeApi();
  const log = vi.fn();
  const unregister = registerIpc(ipc, api, trusted, log);
  return { ipc, api, log, unregister };
}

describe('registerIpc', () => {
  it('registers exactly the call channel and can unregister it', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()]).toEqual([IPC_CALL_CHANNEL]);
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes a valid call to the API and returns its value', async () => {
    const { ipc, api } = setup();
    api.listThreads.mockResolvedValueOnce([{ tid: 3193 }]);
    const out = await ipc.invoke(appFrame(), 'listThreads', { dumpId: 4 });
    expect(out).toEqual({ ok: true, value: [{ tid: 3193 }] });
    expect(api.listThreads).toHaveBeenCalledWith({ dumpId: 4 });
  });

  it('refuses an unknown method without touching the API', async () => {
    const { ipc, api } = setup();
    for (const method of ['deleteEverything', 'constructor', '__proto__', 42, undefined]) {
      const out = await ipc.invoke(appFrame(), method, {});
      expect(out).toMatchObject({ ok: false, error: { code: 'UnknownMethod' } });
    }
    for (const fn of Object.values(api)) expect(fn).not.toHaveBeenCalled();
  });

  it('refuses bad arguments with a clear BadRequest naming the field', async () => {
    const { ipc, api } = setup();
    const out = await ipc.invoke(appFrame(), 'listThreads', { dumpId: 'one' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('BadRequest');
    expect(out.error.message).toMatch(/^listThreads: dumpId: /);
    const extra = await ipc.invoke(appFrame(), 'openDump', { path: '/tmp/core', evil: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
    const more = await ipc.invoke(appFrame(), 'listDumps', {}, 'surplus');
    expect(more).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
    expect(api.listThreads).not.toHaveBeenCalled();
    expect(api.openDump).not.toHaveBeenCalled();
  });

  it('drops calls from a foreign sender: other origin, subframe, other webContents, no frame', async () => {
    const { ipc, api, log } = setup();
    const foreign: SenderLike[] = [
      appFrame('https://evil.example/'),
      appFrame('file:///etc/passwd'),
      appFrame('app://other/index.html'),
      appFrame('app://dumpscope/index.html', { url: 'app://dumpscope/index.html' }),
      { sender: { id: 99 }, senderFrame: { url: 'app://dumpscope/index.html', parent: null } },
      { sender: { id: OUR_WINDOW }, senderFrame: null },
    ];
    for (const event of foreign) {
      const out = await ipc.invoke(event, 'listDumps', {});
      expect(out).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    }
    expect(api.listDumps).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(foreign.length);
  });

  it('keeps the code of typed errors and turns anything else into Internal', async () => {
    const { ipc, api, log } = setup();
    api.listThreads.mockRejectedValueOnce(new DumpscopeError('UnknownDump', 'no dump 4 in the index', { where: 'index' }));
    expect(await ipc.invoke(appFrame(), 'listThreads', { dumpId: 4 })).toEqual({
      ok: false,
      error: { code: 'UnknownDump', message: 'no dump 4 in the index', where: 'index' },
    });
    api.listThreads.mockRejectedValueOnce({ code: 'Cancelled', message: 'cancelled' });
    expect(await ipc.invoke(appFrame(), 'listThreads', { dumpId: 4 })).toEqual({ ok: false, error: { code: 'Cancelled', message: 'cancelled' } });
    const bug = new TypeError("Cannot read properties of undefined (reading 'tid')");
    api.listThreads.mockRejectedValueOnce(bug);
    const out = await ipc.invoke(appFrame(), 'listThreads', { dumpId: 4 });
    expect(out).toEqual({ ok: false, error: { code: 'Internal', message: "Internal error: Cannot read properties of undefined (reading 'tid')" } });
    expect(log).toHaveBeenCalledWith(bug);
    // An fs error's code is not one of ours: Internal.
    api.listThreads.mockRejectedValueOnce(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }));
    expect(await ipc.invoke(appFrame(), 'listThreads', { dumpId: 4 })).toMatchObject({ ok: false, error: { code: 'Internal' } });
  });

  it('answers with plain objects that survive structured clone unchanged', async () => {
    const { ipc, api } = setup();
    api.listThreads.mockRejectedValueOnce(new DumpscopeError('TruncatedNote', 'note cut short', { file: '/tmp/core', offset: 0x40 }));
    const out = await ipc.invoke(appFrame(), 'listThreads', { dumpId: 1 });
    expect(structuredClone(out)).toEqual(out);
    expect(out).toEqual({ ok: false, error: { code: 'TruncatedNote', message: 'note cut short', where: '/tmp/core at offset 0x40' } });
  });
});

describe('createEventForwarder', () => {
  it('sends API events to every live window on the event channel', () => {
    const a = { sent: [] as unknown[][], send(channel: string, m: EventMessage) { this.sent.push([channel, m]); } };
    const b = { sent: [] as unknown[][], destroyed: true, send(channel: string, m: EventMessage) { this.sent.push([channel, m]); }, isDestroyed() { return this.destroyed; } };
    const also = vi.fn();
    const emit = createEventForwarder(() => [a, b], also);
    emit('progress', { jobId: 'j1', phase: 'threads', done: 1, total: 3, message: 'Reading threads' });
    emit('indexChanged', { dumpId: 5 });
    expect(a.sent).toEqual([
      [IPC_EVENT_CHANNEL, { event: 'progress', payload: { jobId: 'j1', phase: 'threads', done: 1, total: 3, message: 'Reading threads' } }],
      [IPC_EVENT_CHANNEL, { event: 'indexChanged', payload: { dumpId: 5 } }],
    ]);
    expect(b.sent).toEqual([]);
    expect(also).toHaveBeenCalledTimes(2);
  });
});
