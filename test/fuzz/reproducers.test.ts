// Reproducers of what fuzzing and its targeted follow-ups found, replayed on cores regenerated
// from the committed program (test/fuzz/programs.ts): saved inputs (test/fixtures/fuzz/*.json,
// a base, a target and a mutation list) and hand-made hostile cores. Each must end in a result
// or a typed error, within the time and memory bounds. Bugs of other owners are pinned with
// `it.fails` until they are fixed (see known-issues.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTranscript } from '../../main/core/dotnet';
import { DumpIndex } from '../../main/core/index';
import { tempIndex } from '../helpers/cli';
import { measureCli } from '../integration/huge/sparse-core';
import { canMakeCores, coreBase, transcriptBases, type CoreBase } from './bases';
import { pathsFor, type Finding } from './campaign';
import { runJob } from './harness';
import { note, ntFile, NT_FILE, withExtraNote } from './hostile-cores';
import { NT_PRSTATUS } from './layout';
import { applyMutations, applyTextMutations } from './mutations';
import { type FuzzInput } from './inputs';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fuzz');
const saved = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort() : [];

describe.skipIf(!canMakeCores())('fuzz reproducers', () => {
  let base: CoreBase;
  let dir: string;

  beforeAll(async () => {
    base = await coreBase('O0');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-repro-'));
  });

  /** The CLI on a hostile core placed beside the base's module files, with its peak RSS. */
  function openHostile(name: string, make: (dst: string) => void) {
    const d = fs.mkdtempSync(path.join(dir, `${name}-`));
    for (const m of base.modules) fs.linkSync(m.path, path.join(d, m.name));
    const core = path.join(d, 'core');
    make(core);
    const m = measureCli(['--index', tempIndex(name), 'threads', core, '--json']);
    return { ...m, warnings: m.stderr.split('\n').filter((l) => l.startsWith('dumpscope: warning:')) };
  }

  /** The base core with an NT_FILE note claiming `count` mappings, every entry and name zero (a sparse hole). */
  function zeroedNtFile(dst: string, count: number): void {
    const desc = Buffer.alloc(16);
    desc.writeBigUInt64LE(BigInt(count), 0);
    desc.writeBigUInt64LE(4096n, 8);
    const size = 16 + 24 * count + count;
    withExtraNote(base.core, dst, Buffer.concat([note('CORE', NT_FILE, size), desc]), size - 16);
  }

  for (const file of saved) {
    it(`saved input ${file}: a result or a typed error within 5 s`, async () => {
      const f = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Finding | FuzzInput;
      const input = 'input' in f ? f.input : f;
      const bases = { cores: [await coreBase('O0'), await coreBase('O2')], transcripts: transcriptBases() };
      const index = DumpIndex.open(tempIndex('saved'));
      try {
        const started = Date.now();
        const r = runJob({ id: 0, input, paths: pathsFor(input, bases) }, dir, index);
        expect(r.outcome === 'result' || r.outcome === 'typed' ? 'ok' : `${r.outcome}: ${r.message ?? ''}\n${r.stack ?? ''}`).toBe('ok');
        expect(Date.now() - started).toBeLessThan(5000);
      } finally {
        index.close();
      }
    });
  }

  // Found by hand after the fuzzer's NT_FILE mutations: the note's count was trusted up to ten
  // million, and each entry, even all zeros, became a mapping and a module whose file was looked
  // up on disk. A 27 MiB core (2.8 MiB on disk) took 26 s and 863 MiB; 4 million entries ran
  // out of memory.
  it('an NT_FILE note of a million zeroed entries (27 MiB, sparse) opens at once, the entries skipped', () => {
    const r = openHostile('ntfile-zeros', (dst) => zeroedNtFile(dst, 1_000_000));
    expect(r.code, r.stderr).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/the NT_FILE note at offset 0x[0-9a-f]+ is \d+ bytes, more than a kernel writes \(16 MiB\); its file mappings are ignored/);
    expect(r.elapsedMs).toBeLessThan(3000);
    expect(r.maxRssKb).toBeLessThan(300 * 1024);
  });

  it('an NT_FILE note of 200 000 zeroed entries (under 16 MiB) skips them all with one warning', () => {
    const r = openHostile('ntfile-zeros-small', (dst) => zeroedNtFile(dst, 200_000));
    expect(r.code, r.stderr).toBe(0);
    expect(r.warnings).toEqual([expect.stringMatching(/skipped 200000 NT_FILE entries without an address range or a file name$/)]);
    expect(r.elapsedMs).toBeLessThan(3000);
    expect(r.maxRssKb).toBeLessThan(300 * 1024);
  });

  it('an NT_FILE note of more mappings than any process has is ignored; 65 530 distinct files are read in time', () => {
    const entry = (i: number) => ({ start: 0x2000_0000_0000n + BigInt(i) * 8192n, end: 0x2000_0000_0000n + BigInt(i) * 8192n + 4096n, pageOffset: 0n, name: `/nonexistent/${i}.so` });
    const over = openHostile('ntfile-over', (dst) => withExtraNote(base.core, dst, note('CORE', NT_FILE, ntFile(262_145, entry))));
    expect(over.code, over.stderr).toBe(0);
    expect(over.warnings.join('\n')).toMatch(/the NT_FILE note lists 262145 file mappings, more than the limit of 262144; they are ignored/);
    // vm.max_map_count's default: the most file mappings a process has unless an admin raised it
    const max = openHostile('ntfile-max', (dst) => withExtraNote(base.core, dst, note('CORE', NT_FILE, ntFile(65_530, entry))));
    expect(max.code, max.stderr).toBe(0);
    expect(max.elapsedMs).toBeLessThan(5000);
    expect(max.maxRssKb).toBeLessThan(512 * 1024);
  });

  // Found by the fuzzer (seed 8, input 6890; saved as test/fixtures/fuzz/duplicate-tid-store.json):
  // a core whose two NT_PRSTATUS notes give one tid could not be stored (UNIQUE constraint on
  // stacks), so it could not be opened at all.
  it('two threads with one tid: the dump opens with every thread, and says the core is odd', () => {
    const prs = base.layout.notes.filter((n) => n.name === 'CORE' && n.type === NT_PRSTATUS);
    const bytes = fs.readFileSync(base.core);
    const tid = bytes.readInt32LE(prs[0].descOffset + 32); // pr_pid
    const r = openHostile('duplicate-tid', (dst) => {
      const { bytes: out } = applyMutations(bytes, base.layout, [{ op: 'int', region: { kind: 'desc', index: prs[1].index }, at: 32, width: 4, value: `0x${tid.toString(16)}` }]);
      fs.writeFileSync(dst, out);
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { threads: { index: number; tid: number }[] };
    expect(doc.threads.map((t) => t.tid).slice(0, 2)).toEqual([tid, tid]);
    expect(doc.threads).toHaveLength(prs.length);
    expect(r.warnings).toEqual([expect.stringMatching(/1 thread\(s\) have the tid of an earlier thread \(#2 and #1: tid \d+\), which no real process has: a corrupt core\? A tid selects the first of them$/)]);
  });

  // Found by `npm run fuzz -- --seed 2025` (input 4174: four frame lines of the pstacks fixture
  // repeated); fixed by bounding the tree's depth (parse-pstacks.ts, MAX_PSTACKS_DEPTH).
  it('transcript: pstacks of a 4000-frame stack parses into a result that serializes', () => {
    const base = transcriptBases().find((t) => t.name === 'article-pstacks-bare.txt');
    if (!base) throw new Error('fixture missing');
    const text = applyTextMutations(fs.readFileSync(base.path, 'utf8'), [{ op: 'duplicate-lines', line: 21, count: 4, times: 1000 }]);
    expect(() => JSON.stringify(parseTranscript(text))).not.toThrow();
  });

  // Found by the fuzzer; fixed by making the lldb shape patterns of command-kind.ts linear.
  it('transcript: a 20 000-space line in output without a prompt parses in under 200 ms', () => {
    const started = performance.now();
    parseTranscript(`${' '.repeat(20_000)}\n`);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
