// `dumpscope compare` on two real cores of one live process taken seconds apart: a lock-order
// deadlock (first, second; main joins first) that must come out stuck and confirmed, and a busy
// thread that must come out progressed, with where its stacks part; a core of another run of
// the program must be called another process. Also `capture --twice`, which now compares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, gcore, startProgram, TEST_TMP } from '../../helpers/native';
import { runCli, tempIndex } from '../../helpers/cli';
import { type DumpComparison, type ThreadInfo } from '../../../shared/types';
import { DEADLOCK_AND_BUSY } from './programs';
import { stackPcs, twoDumps, type TwoDumps } from './two-dumps';

type CompareDoc = DumpComparison & { schemaVersion: number };

const index = tempIndex('compare');
let two: TwoDumps;
let roles: Map<number, string>;
let byRole: (role: string) => ThreadInfo;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  fs.mkdirSync(TEST_TMP, { recursive: true });
  const exe = compile('deadlock-and-busy', DEADLOCK_AND_BUSY);
  two = await twoDumps(exe, { index, movingRole: 'busy' });
  cleanup.push(() => two.remove());
  roles = new Map([...two.prog.tids].map(([role, tid]) => [tid, role]));
  const threads = (JSON.parse(runCli(['threads', two.a, '--json'], { index }).stdout) as { threads: ThreadInfo[] }).threads;
  byRole = (role) => threads.find((t) => t.tid === two.prog.tids.get(role))!;
});
afterAll(() => cleanup.forEach((f) => f()));

function compare(a: string, b: string, extra: string[] = []) {
  const r = runCli(['compare', a, b, '--json', ...extra], { index });
  expect(r.stderr).toBe('');
  return { code: r.code, doc: JSON.parse(r.stdout) as CompareDoc };
}

describe('dumpscope compare on two cores of one process', () => {
  it('finds the deadlocked threads stuck, the busy thread progressed, and confirms the deadlock', () => {
    const { code, doc } = compare(two.a, two.b);
    expect(code).toBe(3);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.sameProcess.same).toBe(true);
    expect(doc.threads.map((t) => [roles.get(t.tid), t.status]).sort()).toEqual([
      ['busy', 'progressed'],
      ['first', 'stuck'],
      ['main', 'stuck'],
      ['second', 'stuck'],
    ]);
    expect(doc.threads.every((t) => t.matchedBy === 'tid')).toBe(true);
    const edge = (e: DumpComparison['persistentEdges'][number]) => `${roles.get(e.waiterTid)} ${e.kind} ${e.kind === 'joins' ? '' : `${e.resourceKind} ${e.name} `}held by ${roles.get(e.holderTid)}${e.proven ? '' : ' (unproven)'}`;
    expect(doc.persistentEdges.map(edge).sort()).toEqual(['first waits mutex b held by second', 'main joins held by first', 'second waits mutex a held by first']);
    expect(doc.persistentEdges.filter((e) => e.inConfirmedDeadlock).map((e) => roles.get(e.waiterTid)).sort()).toEqual(['first', 'second']);
    expect(doc.confirmedDeadlocks.map((c) => c.tids.map((t) => roles.get(t)))).toEqual([['first', 'second']]);
    expect(doc.verdict.deadlockConfirmed).toBe(true);
    // The time between the dumps comes from the files' modification times, rounded to seconds.
    expect(doc.interval).toMatchObject({ ms: two.intervalMs, source: 'file-mtime', approximate: true });
    const secs = Math.round(two.intervalMs / 1000);
    expect(secs).toBeGreaterThanOrEqual(2);
    const [m, f, s, b] = ['main', 'first', 'second', 'busy'].map((r) => byRole(r).index);
    expect(doc.verdict.summary).toBe(
      `Threads #${f} and #${s} are blocked at the same frames in both dumps, taken about ${secs} s apart; the deadlock between them is confirmed. Thread #${m} waits behind it in both dumps. Thread #${b} progressed.`,
    );
  });

  it('says where the busy thread moved, with both stacks ready for a diff', () => {
    const { doc } = compare(two.a, two.b);
    const busy = doc.threads.find((t) => roles.get(t.tid) === 'busy')!;
    const pcsA = stackPcs(two.a, busy.tid, index);
    const pcsB = stackPcs(two.b, busy.tid, index);
    // framesA/B are the two stacks, innermost first, one line per frame starting with the pc.
    expect(busy.framesA.map((l) => BigInt(l.split(' ')[0]))).toEqual(pcsA.map((pc) => BigInt(pc)));
    expect(busy.framesB.map((l) => BigInt(l.split(' ')[0]))).toEqual(pcsB.map((pc) => BigInt(pc)));
    const d = busy.divergence!;
    // Count the shared outer frames independently: from the outermost frame inwards.
    let common = 0;
    while (common < pcsA.length && common < pcsB.length && pcsA[pcsA.length - 1 - common] === pcsB[pcsB.length - 1 - common]) common++;
    expect(d.commonOuterFrames).toBe(common);
    // At least the thread's start (clone3, start_thread) and busy() itself stay put.
    expect(common).toBeGreaterThanOrEqual(3);
    expect(d.indexA).toBe(pcsA.length - 1 - common);
    expect(d.indexB).toBe(pcsB.length - 1 - common);
    expect(busy.framesA[d.indexA!]).not.toBe(busy.framesB[d.indexB!]);
    expect(d.frameA).toMatch(/^deadlock-and-busy`spin_(even|odd|leaf)/);
    expect(d.lastCommonFrame).toMatch(/^deadlock-and-busy`(busy|spin_even|spin_odd) \+ \d+$/);
    expect(busy.summary).toMatch(new RegExp(`^Thread #\\d+ \\(tid ${busy.tid}\\) progressed: its stacks share ${common} outer frames \\(down to `));
    // Stuck threads carry identical stacks.
    const first = doc.threads.find((t) => roles.get(t.tid) === 'first')!;
    expect(first.framesA).toEqual(first.framesB);
    expect(first.framesA.join('\n')).toMatch(/deadlock-and-busy`first \+ \d+ at .*deadlock-and-busy\.c:\d+/);
  });

  it('prints the comparison as text, the verdict first after the two dumps, with exit code 3', () => {
    const r = runCli(['compare', two.a, two.b], { index });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const lines = r.stdout.split('\n');
    // The process name is the kernel's comm: the executable's name cut to 16 bytes.
    expect(lines[0]).toBe(`A: ${two.a}: deadlock-and-bus (pid ${two.prog.pid}), 4 threads, file time ${new Date(fs.statSync(two.a).mtimeMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
    expect(lines[1]).toMatch(new RegExp(`^B: ${two.b.replace(/[.]/g, '\\.')}: .* \\(about ${Math.round(two.intervalMs / 1000)} s later\\)$`));
    expect(lines[3]).toMatch(/^Threads #\d and #\d are blocked at the same frames in both dumps, taken about \d+ s apart; the deadlock between them is confirmed\./);
    expect(r.stdout).toMatch(/^STATUS +# +TID +TOP FRAME IN A +TOP FRAME IN B +WHERE THE STACKS PART \/ WAITS ON$/m);
    expect(r.stdout).toMatch(new RegExp(`^progressed +\\d+ +${two.prog.tids.get('busy')} +deadlock-and-busy\`spin_`, 'm'));
    expect(r.stdout).toMatch(/^In both dumps:$/m);
  });

  it('says a core of another run of the program is another process, and confirms nothing', async () => {
    const exe = compile('deadlock-and-busy', DEADLOCK_AND_BUSY);
    const other = await startProgram(exe, { stackKb: 256 });
    const dir = fs.mkdtempSync(path.join(TEST_TMP, 'compare-other-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    let core: string;
    try {
      await new Promise((r) => setTimeout(r, 300));
      core = gcore(other.pid, dir);
    } finally {
      other.kill();
    }
    const { code, doc } = compare(two.a, core);
    expect(code).toBe(0);
    expect(doc.sameProcess.same).toBe(false);
    expect(doc.sameProcess.differences[0]).toBe(`pid ${two.prog.pid} in A, ${other.pid} in B`);
    // Another start loads the program at other addresses (ASLR): said too.
    expect(doc.sameProcess.differences.join('\n')).toMatch(/loaded at other addresses, so the process was started again/);
    expect(doc.threads.map((t) => t.status).sort()).toEqual(['exited', 'exited', 'exited', 'exited', 'new', 'new', 'new', 'new']);
    expect(doc.persistentEdges).toEqual([]);
    expect(doc.confirmedDeadlocks).toEqual([]);
    expect(doc.verdict.deadlockConfirmed).toBe(false);
    expect(doc.verdict.summary).toMatch(new RegExp(`^Dumps A and B are of different processes \\(pid ${two.prog.pid} in A, ${other.pid} in B, and \\d+ more differences?\\): their threads are not matched, so none is called stuck or progressed\\.`));
    expect(doc.verdict.summary).toMatch(/Both dumps show a deadlock\.$/);
    // The deadlocked threads' stacks are the same by symbols in both runs.
    const first = doc.threads.find((t) => t.status === 'exited' && roles.get(t.tid) === 'first')!;
    expect(first.sameStackAs).toBe(other.tids.get('first'));
  });

  it('refuses a missing dump, or one dump given twice, in one line', () => {
    const r = runCli(['compare', two.a, path.join(two.dir, 'nope')], { index });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^dumpscope: .*nope/);
    const same = runCli(['compare', two.a, two.a], { index });
    expect(same.code).toBe(1);
    expect(same.stdout).toBe('');
    expect(same.stderr).toMatch(/^dumpscope: compare: both sides are dump \d+; compare two dumps taken at different times\n$/);
  });
});

describe('dumpscope capture --twice', () => {
  it('compares the two dumps it took', async () => {
    const exe = compile('deadlock-and-busy', DEADLOCK_AND_BUSY);
    const prog = await startProgram(exe, { stackKb: 256 });
    const dir = fs.mkdtempSync(path.join(TEST_TMP, 'compare-capture-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    try {
      await new Promise((r) => setTimeout(r, 300));
      const r = runCli(['capture', String(prog.pid), '--twice', '--interval', '1s', '-o', dir, '--json'], { index });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as { dumps: string[]; compare: DumpComparison | null; notes: string[] };
      expect(j.dumps).toHaveLength(2);
      expect(j.notes.join(' ')).not.toMatch(/compare: not available/);
      expect(j.compare?.dumpA.path).toBe(j.dumps[0]);
      expect(j.compare?.dumpB.path).toBe(j.dumps[1]);
      expect(j.compare?.verdict.deadlockConfirmed).toBe(true);
      const tids = new Map([...prog.tids].map(([role, tid]) => [tid, role]));
      expect(j.compare?.confirmedDeadlocks.map((c) => c.tids.map((t) => tids.get(t)))).toEqual([['first', 'second']]);
      expect(j.compare?.threads.find((t) => tids.get(t.tid) === 'main')?.status).toBe('stuck');
    } finally {
      prog.kill();
    }
  });
});
