// The built-in console's session persists in the index like a debugger's, is searchable, and is
// never read as debugger evidence (its answers come from dumpscope's own analysis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DumpscopeService } from '../../../main/api';
import { captureCore, compile, gdbBatch, type Captured } from '../../helpers/native';
import { LOCK_ORDER_DEADLOCK } from '../../helpers/lock-programs';
import { ROOT, tempIndex } from '../../helpers/cli';

describe('recordConsole', () => {
  let core: Captured;
  let service: DumpscopeService;
  beforeAll(async () => {
    core = await captureCore(compile('lockorder', LOCK_ORDER_DEADLOCK));
    service = new DumpscopeService({ indexPath: tempIndex('console'), sampleDir: null });
  });
  afterAll(async () => {
    await service.close();
    core?.remove();
  });

  it('appends every command and answer to one console transcript of the dump', async () => {
    const dump = await service.openDump({ path: core.core });
    const a = await service.recordConsole({ dumpId: dump.id, command: 'threads', output: '#1 tid 1\n#2 tid 2' });
    const b = await service.recordConsole({ dumpId: dump.id, command: 'bt #2', output: 'frame #0 pthread_mutex_lock' });
    expect(b.transcriptId).toBe(a.transcriptId);
    const list = await service.listTranscripts({ dumpId: dump.id });
    expect(list.filter((t) => t.source === 'console')).toHaveLength(1);
    const text = (await service.getTranscript({ transcriptId: a.transcriptId })).text;
    expect(text).toBe('> threads\n#1 tid 1\n#2 tid 2\n> bt #2\nframe #0 pthread_mutex_lock\n');
    const hits = await service.search({ query: 'pthread_mutex_lock', kinds: ['transcript'] });
    expect(JSON.stringify(hits)).toContain(String(a.transcriptId));
  });

  it('is not evidence: SOS-looking output typed in the console adds no managed identities', async () => {
    const dump = await service.openDump({ path: core.core });
    const sos = fs.readFileSync(path.join(ROOT, 'test/fixtures/transcripts/article-clrthreads-bare.txt'), 'utf8');
    await service.recordConsole({ dumpId: dump.id, command: 'clrthreads', output: sos });
    const threads = await service.listThreads({ dumpId: dump.id });
    expect(threads.every((t) => !t.managed)).toBe(true);
    const analysis = await service.getDotnetAnalysis({ dumpId: dump.id });
    expect(analysis.threads.threads.every((t) => t.managedId === null)).toBe(true);
    expect(analysis.threads.deadManagedThreads).toEqual([]);
  });
});

describe('importTranscriptFile', () => {
  let core: Captured;
  let service: DumpscopeService;
  let exe: string;
  beforeAll(async () => {
    exe = compile('lockorder', LOCK_ORDER_DEADLOCK);
    core = await captureCore(exe);
    service = new DumpscopeService({ indexPath: tempIndex('import-file'), sampleDir: null });
  });
  afterAll(async () => {
    await service.close();
    core?.remove();
  });

  it('reads a transcript file by path, named after the file, and refuses what is not one', async () => {
    const dump = await service.openDump({ path: core.core });
    const file = path.join(core.dir, 'session-gdb.txt');
    fs.writeFileSync(file, gdbBatch(exe, core.core, ['info threads', 'thread apply all bt']));
    const r = await service.importTranscriptFile({ path: file, dumpId: dump.id, host: 'gdb' });
    expect(r.transcript).toMatchObject({ name: 'session-gdb.txt', host: 'gdb', dumpId: dump.id });
    expect((await service.getTranscript({ transcriptId: r.transcript.id })).text).toBe(fs.readFileSync(file, 'utf8'));
    await expect(service.importTranscriptFile({ path: path.join(core.dir, 'absent.txt') })).rejects.toMatchObject({ code: 'FileNotFound' });
    await expect(service.importTranscriptFile({ path: core.dir })).rejects.toMatchObject({ code: 'NotAFile' });
  });
});
