// The real .NET Core core in ../shared/fixtures/dotnet (createdump's triage dump of a .NET Core
// 2.0 preview process; facts in ../shared/fixtures/README.md): recognised as .NET from its
// mappings, its runtime's symbol-server keys, its managed assemblies read from PE headers in its
// memory, and transcripts attached to it (kept across re-indexing, searchable).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DumpscopeService } from '../../../main/api';
import { CoreDump } from '../../../main/core/elf';
import { readCliMetadata, readPeHeader, type ReadMemory } from '../../../main/core/dotnet';
import { runCli, SHARED_FIXTURES, tempIndex } from '../../helpers/cli';
import { type DotnetInfo, type ManagedAssembly } from '../../../shared/types';

const FIXTURE = path.join(SHARED_FIXTURES, 'dotnet', 'triagedump.gz');
const present = fs.existsSync(FIXTURE);
if (!present) console.warn(`skipping the .NET triage dump tests: ${FIXTURE} is absent`);
const CLR = '8f39a52a756311ab365090bfe9edef7ee8c44503';
const TRANSCRIPTS = path.resolve(__dirname, '..', '..', 'fixtures', 'transcripts');

describe.skipIf(!present)('the triage dump of a .NET Core 2.0 process', () => {
  let dir: string;
  let core: string;
  const index = tempIndex();
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-triage-net-'));
    core = path.join(dir, 'triagedump');
    fs.writeFileSync(core, gunzipSync(fs.readFileSync(FIXTURE)));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is recognised as .NET with its runtime version (dumpscope threads --json)', () => {
    const r = runCli(['threads', core, '--json'], { index });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { dump: { runtime: unknown }; threads: { managed: unknown }[] };
    expect(doc.dump.runtime).toEqual({ kind: 'coreclr', version: '2.0.0-preview3-25510-01' });
    // No transcript and no rule applies (its stacks cannot be symbolized offline): nothing managed to say.
    expect(doc.threads.every((t) => t.managed === null)).toBe(true);
  });

  describe('dumpscope modules --json', () => {
    let dotnet: DotnetInfo;
    const asm = (name: string) => dotnet.assemblies.find((a) => a.name === name) as ManagedAssembly;
    beforeAll(() => {
      const r = runCli(['modules', core, '--json'], { index });
      expect(r.stderr).toBe('');
      dotnet = (JSON.parse(r.stdout) as { dotnet: DotnetInfo }).dotnet;
    });

    it("gives libcoreclr.so's build-id and the keys its origin states, with the symbols, DBI and SOS keys", () => {
      expect(dotnet.runtime).toMatchObject({ kind: 'coreclr', version: '2.0.0-preview3-25510-01', buildId: CLR });
      expect(dotnet.runtime?.path).toMatch(/\/libcoreclr\.so$/);
      const clr = dotnet.runtimeModules[0];
      expect(clr).toMatchObject({ name: 'libcoreclr.so', buildId: CLR });
      expect(clr.keys.map((k) => k.key)).toEqual([
        `libcoreclr.so/elf-buildid-${CLR}/libcoreclr.so`,
        `_.debug/elf-buildid-sym-${CLR}/_.debug`,
        `libmscordaccore.so/elf-buildid-coreclr-${CLR}/libmscordaccore.so`,
        `libmscordbi.so/elf-buildid-coreclr-${CLR}/libmscordbi.so`,
        `libsos.so/elf-buildid-coreclr-${CLR}/libsos.so`,
        `sos.netcore.dll/elf-buildid-coreclr-${CLR}/sos.netcore.dll`,
      ]);
      expect(dotnet.runtimeModules.map((m) => m.name)).toEqual([
        'libcoreclr.so',
        'dotnet',
        'libclrjit.so',
        'libcoreclrtraceptprovider.so',
        'libhostfxr.so',
        'libhostpolicy.so',
        'System.Globalization.Native.so',
        'System.Native.so',
      ]);
      expect(dotnet.warnings).toEqual([]);
    });

    it('lists the 17 assemblies mapped into the process, from their PE headers in memory', () => {
      expect(dotnet.assemblies).toHaveLength(17);
      expect(dotnet.assemblies.every((a) => a.managed && a.timestamp !== null && a.sizeOfImage !== null)).toBe(true);
      // The app's own assemblies: names and versions from the CLI metadata (Assembly table).
      expect(asm('SymbolTestApp2')).toMatchObject({
        nameSource: 'metadata',
        version: '1.0.0.0',
        format: 'PE32',
        machine: 0x14c,
        sizeOfImage: 32768,
        timestamp: 0xdd52998f,
        metadataVersion: 'v4.0.30319',
        bases: ['0x7f79eb630000'],
        path: '/home/mikem/builds/SymbolTestApp2/bin/Debug/netcoreapp1.0/SymbolTestApp2.dll',
        notes: [],
      });
      expect(asm('System.IO')).toMatchObject({ nameSource: 'metadata', version: '4.2.0.0', format: 'PE32+', bases: ['0x7f7970b90000', '0x7f7970bb0000'] });
    });

    it('falls back to the file name where the triage dump left the metadata out, and says so', () => {
      const corelib = asm('System.Private.CoreLib');
      expect(corelib).toMatchObject({ nameSource: 'file', version: null, format: 'PE32+', machine: 0xfd1d, sizeOfImage: 11004928, timestamp: 0x595c596c, timestampIso: '2017-07-05T03:13:48.000Z' });
      expect(corelib.bases).toEqual(['0x7f796fee0000', '0x7f796fef0000']);
      expect(corelib.notes).toEqual([
        'metadata: the metadata at 0x7f7970239c30 is not in the dump',
        'metadata: the metadata at 0x7f79706c85c4 is not in the dump',
        'ReadyToRun code for Linux x64 (Machine 0xfd1d = 0x8664 ^ 0x7b79)',
      ]);
    });

    it('gives the same through the API (getDotnetInfo)', async () => {
      const s = new DumpscopeService({ indexPath: index, sampleDir: null });
      try {
        const d = await s.openDump({ path: core });
        expect(d.fromIndex).toBe(true);
        expect(await s.getDotnetInfo({ dumpId: d.id })).toEqual(dotnet);
      } finally {
        await s.close();
      }
    });
  });

  describe('transcripts attached to the dump', () => {
    it('warns that the article\'s transcripts are of another dump, and keeps its threads apart', () => {
      const files = ['article-dotnet-dump-session.txt', 'article-lldb-session.txt'].map((f) => path.join(TRANSCRIPTS, f));
      const r = runCli(['import', ...files, '--dump', core, '--json'], { index });
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { threads: { tid: number; inDump: boolean; index: number | null }[]; warnings: string[]; dump: { runtime: unknown } };
      expect(doc.dump.runtime).toEqual({ kind: 'coreclr', version: '2.0.0-preview3-25510-01' });
      expect(doc.warnings).toContain('17 of the 17 threads the transcripts name are not in this dump: the transcripts are probably of another dump');
      expect(doc.threads.filter((t) => t.inDump)).toHaveLength(7);
      expect(doc.threads.filter((t) => !t.inDump).every((t) => t.index === null)).toBe(true);
    });

    it('keeps them across re-indexing, and finds their text with search', async () => {
      const s = new DumpscopeService({ indexPath: index, sampleDir: null });
      try {
        const before = await s.openDump({ path: core });
        const listed = await s.listTranscripts({ dumpId: before.id });
        expect(listed.map((t) => t.name)).toEqual(['article-dotnet-dump-session.txt', 'article-lldb-session.txt']);
        // The article's clrstack (tid 3193) matches no thread of this dump: its stacks stay native.
        expect(await s.getStacks({ dumpId: before.id })).toEqual(s.index.stacks(before.id));
        // Re-indexing replaces the dump's row (its transcripts lose it for a moment, then are attached to the new one).
        const again = await s.openDump({ path: core, force: true });
        expect(again.fromIndex).toBe(false);
        expect((await s.listTranscripts({ dumpId: again.id })).map((t) => t.id)).toEqual(listed.map((t) => t.id));
        const hits = await s.search({ query: 'AssemblyLoadFinished', kinds: ['transcript'] });
        expect(hits.groups.map((g) => g.dump.id)).toEqual([again.id]);
        expect(hits.groups[0].hits[0]).toMatchObject({ kind: 'transcript', transcriptId: String(listed[1].id) });
        expect(hits.groups[0].hits[0].text.split('\n').length).toBeLessThanOrEqual(40);
        const text = await s.getTranscript({ transcriptId: listed[0].id });
        expect(text.text).toBe(fs.readFileSync(path.join(TRANSCRIPTS, 'article-dotnet-dump-session.txt'), 'utf8'));
        expect(await s.removeTranscript({ transcriptId: listed[0].id })).toEqual({ removed: true });
        expect((await s.listTranscripts({ dumpId: again.id })).map((t) => t.id)).toEqual([listed[1].id]);
        expect(await s.removeDump({ dumpId: again.id })).toEqual({ removed: true });
        expect(await s.listTranscripts({})).toEqual([]);
      } finally {
        await s.close();
      }
    });
  });

  describe('PE headers from the dump, mutated', () => {
    // SymbolTestDll.dll's first page as the process had it mapped (a real header, 4 KiB).
    let page: Buffer;
    const BASE = 0x7f79eb818000n;
    beforeAll(() => {
      const d = CoreDump.open(core);
      try {
        page = Buffer.from(d.memory.read(BASE, 8192)!);
      } finally {
        d.close();
      }
    });
    const reader =
      (bytes: Buffer): ReadMemory =>
      (addr, length) => {
        const off = Number(addr - BASE);
        return off < 0 || off + length > bytes.length ? null : bytes.subarray(off, off + length);
      };

    it('reads the real header and the Assembly row', () => {
      const h = readPeHeader(reader(page), BASE);
      expect(h.ok).toBe(true);
      if (!h.ok) return;
      expect(h.value).toMatchObject({ format: 'PE32', machine: 0x14c, sizeOfImage: 32768 });
      const md = readCliMetadata(reader(page), h.value);
      expect(md).toMatchObject({ ok: true, value: { assemblyName: 'SymbolTestDll', assemblyVersion: '1.0.0.0', version: 'v4.0.30319', layout: 'flat', note: null } });
    });

    it('says what is wrong with a bad header and never throws', () => {
      const lfanew = page.readUInt32LE(0x3c);
      const mutate = (f: (b: Buffer) => void) => {
        const b = Buffer.from(page);
        f(b);
        return b;
      };
      const cases: [string, Buffer][] = [
        ['no MZ signature at 0x7f79eb818000', mutate((b) => b.write('XY', 0, 'latin1'))],
        ['e_lfanew 0x7fffffff is out of range', mutate((b) => b.writeUInt32LE(0x7fffffff, 0x3c))],
        ['no "PE\\0\\0" signature at 0x7f79eb818080', mutate((b) => b.writeUInt32LE(0, lfanew))],
        ['1000 sections is more than a PE file may have', mutate((b) => b.writeUInt16LE(1000, lfanew + 6))],
        ['optional header magic 0x999 is neither PE32 nor PE32+', mutate((b) => b.writeUInt16LE(0x999, lfanew + 24))],
      ];
      for (const [reason, bytes] of cases) expect(readPeHeader(reader(bytes), BASE)).toEqual({ ok: false, reason });
      expect(readPeHeader(reader(page.subarray(0, 0x30)), BASE)).toEqual({ ok: false, reason: 'the page at 0x7f79eb818000 is not in the dump' });
    });

    it('survives every single-byte change and every cut of the first 4 KiB', () => {
      for (let i = 0; i < 4096; i += 3) {
        const b = Buffer.from(page);
        b[i] ^= 0xff;
        const h = readPeHeader(reader(b), BASE);
        if (h.ok) readCliMetadata(reader(b), h.value);
      }
      for (let n = 0; n <= 8192; n += 97) {
        const h = readPeHeader(reader(page.subarray(0, n)), BASE);
        if (h.ok) {
          const md = readCliMetadata(reader(page.subarray(0, n)), h.value);
          if (md.ok) expect(md.value.assemblyName === null || md.value.assemblyName === 'SymbolTestDll').toBe(true);
        }
      }
    });
  });
});
