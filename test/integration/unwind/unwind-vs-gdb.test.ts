// The key accuracy test: for every core of the corpus, our return addresses against gdb's, per
// thread (matched by LWP), physical frames only (inline groups folded; gdb's virtual tail-call
// frames, which it builds from call-site debug info, left out). Fails below 99% overall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCore, compile, haveTool, type Captured } from '../../helpers/native';
import { compareWithGdb, describeMismatches, gdbForComparison, parseGdbBacktraces, type CompareResult } from '../../helpers/gdb-compare';
import { CORPUS, type CorpusProgram } from './corpus';
import { hex, openAndUnwind, type UnwoundCore } from './open-core';
import { moduleProviderForCore, unwindThreads } from '../../../main/core/unwind';

const canRun = haveTool('gcc') && haveTool('g++') && haveTool('gdb') && haveTool('gcore');

interface Case {
  program: CorpusProgram;
  exe: string;
  captured: Captured;
  unwound: UnwoundCore;
  gdbText: string;
  result: CompareResult;
}

const cases = new Map<string, Case>();

describe.skipIf(!canRun)('unwinding real cores matches gdb', () => {
  beforeAll(async () => {
    for (const program of CORPUS) {
      const exe = compile(program.name, program.source, program.compile);
      const captured = await captureCore(exe, program.run);
      const unwound = openAndUnwind(captured.core);
      const gdbText = gdbForComparison(exe, captured.core);
      const result = compareWithGdb(
        unwound.stacks.map((s) => ({ tid: s.tid, frames: s.stack.frames })),
        gdbText,
      );
      cases.set(program.name, { program, exe, captured, unwound, gdbText, result });
    }
  });

  afterAll(() => {
    for (const c of cases.values()) {
      c.unwound.close();
      c.captured.remove();
    }
  });

  it('matches gdb on at least 99% of frames across the corpus', () => {
    let compared = 0;
    let matched = 0;
    const lines: string[] = [];
    for (const c of cases.values()) {
      const r = c.result;
      compared += r.framesCompared;
      matched += r.pcMatches;
      lines.push(
        `${c.program.name.padEnd(16)} ${String(r.pcMatches).padStart(5)}/${String(r.framesCompared).padEnd(5)} ${(100 * r.ratio).toFixed(2)}%` +
          `  threads ${r.perThread.length}, gdb tail-call frames skipped ${r.tailCallFrames}`,
      );
      for (const m of describeMismatches(r, 5)) lines.push(`    ${m}`);
    }
    const ratio = compared === 0 ? 0 : matched / compared;
    lines.push(`${'total'.padEnd(16)} ${String(matched).padStart(5)}/${String(compared).padEnd(5)} ${(100 * ratio).toFixed(2)}%`);
    console.log(`unwind accuracy against gdb (return addresses of physical frames):\n${lines.join('\n')}`);
    expect(compared).toBeGreaterThan(1000);
    expect(ratio).toBeGreaterThanOrEqual(0.99);
  });

  it('finds every thread gdb shows and ends every walk at the outermost frame', () => {
    for (const c of cases.values()) {
      expect(c.result.missingThreads, c.program.name).toEqual([]);
      for (const { tid, stack } of c.unwound.stacks) {
        expect(`${c.program.name} LWP ${tid}: ${stack.stop.reason} (${stack.stop.detail})`).toMatch(/: ok \(/);
        expect(stack.frames[0].how).toBe('context');
        // Every caller comes from CFI, except the caller of a frame at pc 0 (a call through a
        // NULL pointer), which the function-entry rule finds at [rsp].
        for (const f of stack.frames.slice(1)) {
          const calleePc = stack.frames[f.index - 1].pc;
          expect(f.how, `${c.program.name} LWP ${tid} #${f.index}`).toBe(calleePc === 0n ? 'scan' : 'cfi');
        }
      }
    }
  });

  it('stops where gdb stops: clone3 for threads, _start for the main thread', () => {
    for (const c of cases.values()) {
      const gdb = parseGdbBacktraces(c.gdbText);
      const main = c.unwound.core.threads[0].tid;
      for (const g of gdb) {
        const last = g.frames[g.frames.length - 1];
        expect(last.func, `${c.program.name} LWP ${g.lwp}`).toBe(g.lwp === main ? '_start' : 'clone3');
        const ours = c.unwound.stacks.find((s) => s.tid === g.lwp);
        expect(ours?.stack.frames.at(-1)?.pc, `${c.program.name} LWP ${g.lwp}`).toBe(last.pc);
      }
    }
  });

  it('walks the 200-deep -O2 recursion without frame pointers', () => {
    const c = cases.get('deep-o2');
    expect(c).toBeDefined();
    if (!c) return;
    const tid = c.captured.tids.get('deep');
    const s = c.unwound.stacks.find((x) => x.tid === tid);
    expect(s?.stack.frames.length).toBeGreaterThan(200);
    const t = c.result.perThread.find((x) => x.tid === tid);
    expect(t?.matches).toBe(t?.compared);
  });

  it('steps through signal frames: the trampoline, then the interrupted frame at its exact pc', () => {
    const c = cases.get('signals');
    expect(c).toBeDefined();
    if (!c) return;
    for (const role of ['in_syscall', 'spinning', 'handler_locks', 'null_call']) {
      const tid = c.captured.tids.get(role);
      const s = c.unwound.stacks.find((x) => x.tid === tid);
      expect(s, role).toBeDefined();
      if (!s) continue;
      const i = s.stack.frames.findIndex((f) => f.isSignalFrame);
      expect(i, `${role}: a signal frame`).toBeGreaterThan(0);
      const interrupted = s.stack.frames[i + 1];
      expect(interrupted.returnAddress).toBe(false);
      expect(interrupted.lookupPc).toBe(interrupted.pc);
      // The trampoline frame's pc is __restore_rt, symbolized at the pc itself.
      expect(s.stack.frames[i].lookupPc).toBe(s.stack.frames[i].pc);
      const t = c.result.perThread.find((x) => x.tid === tid);
      expect(t?.matches, `${role}: ${hex(t?.firstMismatch?.ours)} vs ${hex(t?.firstMismatch?.gdb)}`).toBe(t?.compared);
      if (role === 'null_call') {
        // The crash frame at pc 0 is kept, and its caller found: gdb shows the same.
        expect(interrupted.pc).toBe(0n);
        expect(s.stack.frames[i + 2].how).toBe('scan');
        expect(s.stack.frames[i + 2].registers.rbp).toBe(interrupted.registers.rbp);
      }
    }
  });

  it('unwinds all 200 threads in well under a second', () => {
    const c = cases.get('many-threads');
    expect(c).toBeDefined();
    if (!c) return;
    const { core } = c.unwound;
    // Cold: a fresh provider, so module tables are opened and parsed on first use.
    const provider = moduleProviderForCore(core);
    try {
      const t0 = performance.now();
      const first = unwindThreads(core.memory, provider, core.threads);
      const cold = performance.now() - t0;
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t1 = performance.now();
        unwindThreads(core.memory, provider, core.threads);
        runs.push(performance.now() - t1);
      }
      const warm = Math.min(...runs);
      const frames = first.reduce((n, s) => n + s.stack.frames.length, 0);
      console.log(`${core.threads.length} threads, ${frames} frames: ${cold.toFixed(1)} ms with table loading, ${warm.toFixed(1)} ms once loaded (best of 5)`);
      expect(core.threads.length).toBeGreaterThanOrEqual(200);
      expect(warm).toBeLessThan(250);
      expect(cold).toBeLessThan(1000);
    } finally {
      provider.close();
    }
  });
});
