// One stack, native and managed, on a real core: the program in jit-program.ts runs code from an
// anonymous executable mapping (no module, no unwind tables) the way JIT code runs. What a
// runtime's clrstack would list for such a thread — its JIT frame's Child SP and IP, an explicit
// Frame's address, the caller's SP and IP — comes from the addresses the program itself printed;
// no CoreCLR runs here, so no SOS output exists for it, and none is invented: the frames are
// built as typed values from those addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDump, type DumpRecord } from '../../../main/core/analysis';
import { mergeManagedFrames, openResume, type ClrStackFrame, type ClrStackThread, type ResumeHandle } from '../../../main/core/dotnet';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { addressesOf, JIT_PROGRAM } from './jit-program';

const hex = (v: bigint) => `0x${v.toString(16)}`;

function frame(kind: ClrStackFrame['kind'], sp: bigint, ip: bigint | null, method: string | null, frameType: string | null = null): ClrStackFrame {
  return { childSp: hex(sp), ip: ip === null ? null : hex(ip), kind, frameType, frameAddress: frameType ? hex(sp) : null, method, module: null, offset: null, file: null, line: null, details: [], raw: '' };
}

let c: Captured;
let record: DumpRecord;
let resume: ResumeHandle;

beforeAll(async () => {
  const exe = compile('jitprog', JIT_PROGRAM, { flags: ['-g', '-O2'] });
  c = await captureCore(exe, { settleMs: 400 });
  record = analyzeDump(c.core);
  resume = openResume(c.core);
});
afterAll(() => {
  resume?.close();
  c?.remove();
});

function stackOf(role: string) {
  const tid = c.tids.get(role)!;
  return record.stacks.find((s) => s.tid === tid)!;
}

describe('managed frames merged into native stacks by stack pointer', () => {
  it('names the JIT frame the native unwinder passed by frame pointer as a bare address (matched by IP)', () => {
    const a = addressesOf(c.output, 'jit_fp');
    const native = stackOf('jit_fp');
    const bare = native.frames.find((f) => BigInt(f.pc) === a.stub_ret)!;
    expect(bare).toMatchObject({ module: null, function: null, how: 'cfi', sp: hex(a.stub_sp) });
    // The walk goes on past it (frame pointer or stack scan), to managed_caller and the thread's start.
    expect(native.frames.map((f) => f.function)).toContain('managed_caller');
    const managed: ClrStackThread = {
      osid: null,
      tid: c.tids.get('jit_fp')!,
      dbg: null,
      frames: [
        frame('runtime', a.frame_object, null, 'Jit.Program.Work()', 'PrestubMethodFrame'),
        frame('managed', a.stub_sp, a.stub_ret, 'Jit.Program.Work()'),
      ],
      errors: [],
      line: 0,
    };
    const m = mergeManagedFrames(native, managed);
    const names = m.frames.map((f) => `${f.function ?? f.pc} (${f.how}${f.nameSource === 'transcript' ? ', named by the transcript' : ''})`);
    const blocker = names.indexOf('blocker (cfi)');
    // blocker, then the Frame object (its address lies in blocker's stack frame), then the JIT frame with its managed name.
    expect(names.slice(blocker, blocker + 4)).toEqual([
      'blocker (cfi)',
      'Jit.Program.Work() (managed, named by the transcript)',
      'Jit.Program.Work() (cfi, named by the transcript)',
      // JIT code has no CFI: the walk got past it by the fallbacks (its rbp chain reaches a frame whose saved rbp is not a frame pointer at -O2, so a stack scan).
      expect.stringMatching(/^managed_caller \((?:fp|scan)\)$/),
    ]);
    expect(m.frames[blocker + 1]).toMatchObject({ how: 'managed', managedFrameKind: 'PrestubMethodFrame', sp: hex(a.frame_object) });
    expect(m.frames[blocker + 2]).toMatchObject({ pc: hex(a.stub_ret), sp: hex(a.stub_sp), how: 'cfi', nameSource: 'transcript' });
    expect(m.frames.length).toBe(native.frames.length + 1);
    expect(m.frames.map((f) => f.index)).toEqual(m.frames.map((_, i) => i));
    expect(m.stopReason).toBe(native.stopReason);
  });

  it('where the native walk stops in JIT code, says so and continues from the managed frames, then resumes unwinding', () => {
    const a = addressesOf(c.output, 'jit_opaque');
    const native = stackOf('jit_opaque');
    const last = native.frames[native.frames.length - 1];
    expect(native.stopReason).toBe('noCfi');
    expect(last).toMatchObject({ pc: hex(a.stub_ret), module: null, function: null });
    expect(native.stopDetail).toBe(`no unwind info for ${hex(a.stub_ret)} (no module)`);
    const managed: ClrStackThread = {
      osid: null,
      tid: c.tids.get('jit_opaque')!,
      dbg: null,
      frames: [frame('managed', a.stub_sp, a.stub_ret, 'Jit.Program.Opaque()'), frame('managed', a.caller_sp, a.caller_ret, 'Jit.Program.Caller()')],
      errors: [],
      line: 0,
    };
    const without = mergeManagedFrames(native, managed);
    expect(without.frames.slice(native.frames.length - 1).map((f) => [f.function, f.how])).toEqual([
      ['Jit.Program.Opaque()', 'cfi'],
      ['Jit.Program.Caller()', 'managed'],
    ]);
    expect(without.stopReason).toBe('noCfi');
    expect(without.stopDetail).toBe(
      `no unwind info for ${hex(a.stub_ret)} (no module); the native unwinder cannot pass through JIT code at ${hex(a.stub_ret)} (no unwind tables there); continued with 1 frame from the clrstack transcript (Child SP / IP)`,
    );

    const merged = mergeManagedFrames(native, managed, { resume: resume.resume });
    const tail = merged.frames.slice(native.frames.length);
    // The caller frame is real code here (managed_caller, with CFI): the walk resumes from its SP/IP.
    expect(tail.map((f) => f.function)).toEqual(['Jit.Program.Caller()', 'run', 'start_thread', expect.stringMatching(/^(?:__)?clone3?$/)]);
    expect(tail.slice(1).every((f) => f.how === 'cfi')).toBe(true);
    expect(merged.stopDetail).toMatch(new RegExp(`; native unwinding resumed from ${hex(a.caller_ret)} \\(sp ${hex(a.caller_sp)}\\): 3 more frames, to the outermost frame$`));
  });
});
