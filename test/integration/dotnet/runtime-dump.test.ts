// The runtime rules on a real core combined with what the dump proves (runtime-shape-program.ts):
// from the dump's own frames and memory, and from real lldb/gdb transcripts of the same core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDump, type DumpRecord } from '../../../main/core/analysis';
import { buildRuntimeGraph, fromDump, type RuntimeThread } from '../../../main/core/dotnet';
import { captureCore, compile, haveTool, type Captured } from '../../helpers/native';
import { runCli, tempIndex } from '../../helpers/cli';
import { type LockGraph } from '../../../shared/types';
import { RUNTIME_SHAPE } from './runtime-shape-program';

let c: Captured;
let record: DumpRecord;
beforeAll(async () => {
  const exe = compile('runtimeshape', RUNTIME_SHAPE, { cxx: true, flags: ['-g', '-O0'] });
  c = await captureCore(exe, { settleMs: 400 });
  record = analyzeDump(c.core);
});
afterAll(() => c?.remove());

const tidOf = (role: string) => c.tids.get(role)!;

function runtimeThreads(gcMode: (tid: number) => string | null): RuntimeThread[] {
  return record.threads.map((t) => ({
    tid: t.tid,
    index: t.index,
    dbg: t.dbg,
    gcMode: gcMode(t.tid),
    state: null,
    clrthreadsRow: null,
    native: fromDump(record.stacks.find((s) => s.tid === t.tid)!.frames, false),
    managed: null,
    dumpWait: t.wait,
  }));
}

describe('runtime rules on a dump', () => {
  it('the dump alone proves B waits for trace::global_lock held by A (its __owner)', () => {
    const b = record.threads.find((t) => t.tid === tidOf('B'))!;
    expect(b.wait).toMatchObject({ kind: 'mutex', objectName: 'trace::global_lock', holderTid: tidOf('A') });
  });

  it("with B in cooperative mode (what SOS's clrthreads would say), the cycle is proven: a deadlock", () => {
    const g = buildRuntimeGraph({
      threads: runtimeThreads((tid) => (tid === tidOf('B') ? 'Cooperative' : tid === tidOf('A') ? 'Preemptive' : null)),
      syncblk: [],
      methods: [],
      stateLayout: 'unknown',
      haveDump: true,
      nativeGraph: record.locks,
    });
    const a = record.threads.find((t) => t.tid === tidOf('A'))!;
    const b = record.threads.find((t) => t.tid === tidOf('B'))!;
    expect(g.graph.cycles).toEqual([[tidOf('A'), tidOf('B')]]);
    expect(g.graph.likelyCycles).toEqual([]);
    const lock = b.wait!.address!;
    expect(g.graph.verdict).toMatchObject({ deadlock: true, likely: false });
    expect(g.graph.verdict.summary).toBe(
      `Deadlock: thread #${a.index} (tid ${a.tid}) suspends the runtime for a ReJIT and waits for thread #${b.index} (tid ${b.tid}), the only thread in cooperative mode, ` +
        `which waits for mutex \`trace::global_lock\` (${lock}) held by thread #${a.index}.`,
    );
    const held = g.graph.edges.find((e) => e.kind === 'held-by')!;
    expect(held).toMatchObject({ from: `mutex:${lock}`, to: `thread:${a.tid}`, proven: true });
    expect(held.evidence[0].text).toMatch(/^__owner \(mutex\+8\) = \d+; __lock = 2$/);
    // Frames from the dump's unwinder are evidence of kind 'frame' (the transcript's would be 'transcript').
    const suspension = g.graph.edges.find((e) => e.from === `thread:${a.tid}`)!;
    expect(suspension.evidence.map((e) => e.kind)).toEqual(['frame', 'frame', 'frame', 'frame']);
    expect(suspension.evidence.map((e) => e.text.replace(/^frame #\d+ /, ''))).toEqual([
      'runtimeshape`ThreadSuspend::SuspendRuntime: the runtime suspension loop',
      'runtimeshape`ThreadSuspend::SuspendEE: suspension path',
      'runtimeshape`ReJitManager::UpdateActiveILVersions: why it suspends for a ReJIT',
      'runtimeshape`ProfToEEInterfaceImpl::RequestReJIT: suspension path',
    ]);
    expect(g.roles.get(a.tid)).toBe('suspends the runtime for a ReJIT');
  });
});

describe.skipIf(!haveTool('lldb'))('dumpscope import --dump --run lldb on that core', () => {
  const index = tempIndex();
  it('runs lldb in batch, keeps its transcript, and draws the runtime-aware graph with the owner the dump proves', () => {
    const r = runCli(['import', '--dump', c.core, '--run', 'lldb', '--json'], { index, timeoutMs: 300_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { transcripts: { source: string; mode: string; host: string }[]; threads: { tid: number; lldbIndex: number | null; index: number; runtimeRole: string | null }[]; locks: LockGraph };
    expect(doc.transcripts).toMatchObject([{ source: 'lldb', mode: 'batch', host: 'lldb' }]);
    // lldb numbers the core's threads in the core's order: its #N is the dump's index, by tid.
    for (const t of doc.threads) expect(t.lldbIndex).toBe(t.index);
    const a = doc.threads.find((t) => t.tid === tidOf('A'))!;
    expect(a.runtimeRole).toBe('suspends the runtime for a ReJIT');
    const edges = doc.locks.edges.map((e) => `${e.from} ${e.kind}${e.proven ? '' : ' (likely)'} ${e.to}`);
    expect(edges).toContain(`thread:${tidOf('A')} waits runtime:suspension-${tidOf('A')}`);
    expect(edges.find((e) => e.startsWith('mutex:') && e.endsWith(`held-by thread:${tidOf('A')}`))).toBeDefined();
    // No transcript says which threads are in cooperative mode: no cycle is claimed.
    expect(doc.locks.cycles).toEqual([]);
    expect(doc.locks.verdict.summary).toBe(
      `No proven deadlock: thread #${a.index} (tid ${a.tid}) suspends the runtime for a ReJIT and waits for the threads in cooperative GC mode (not known without clrthreads).`,
    );
    // `dumpscope locks` now shows the same runtime-aware graph.
    const locks = runCli(['locks', c.core, '--json'], { index });
    expect((JSON.parse(locks.stdout) as LockGraph).verdict.summary).toBe(doc.locks.verdict.summary);
  });

  it('dumpscope threads shows what the rules say about each thread (managed ids and GC modes need SOS output)', () => {
    const r = runCli(['threads', c.core, '--json'], { index });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { threads: { tid: number; managed: { managedId: number | null; gcMode: string | null; runtimeRole: string | null } | null }[] };
    expect(doc.threads.find((t) => t.tid === tidOf('A'))?.managed).toMatchObject({ managedId: null, gcMode: null, runtimeRole: 'suspends the runtime for a ReJIT' });
    expect(doc.threads.find((t) => t.tid === tidOf('main'))?.managed).toBeNull();
    const text = runCli(['threads', c.core], { index }).stdout;
    expect(text).toMatch(/^\s*#\s+DBG\s+TID\s+OSID\s+ID\s+GC MODE\s+ROLES\s+SIGNAL/m);
    expect(text).toMatch(new RegExp(`\\b${tidOf('A')}\\b.*suspends the runtime for a ReJIT`));
  });
});
