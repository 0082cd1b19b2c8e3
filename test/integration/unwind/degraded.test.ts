// Unwinding when the tables are missing, the dump is cut short or the stack is garbage, on real
// cores: the frame-pointer chain and the stack scan against gdb when the executable's CFI is
// hidden; tables read from the dump's memory (the vDSO against readelf, libc against its file);
// a truncated core; a stack of random words; the depth limit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachModuleFiles, CoreDump, ElfConstants, readElfHeader, readProgramHeaders } from '../../../main/core/elf';
import { FileSource } from '../../../main/core/io';
import { cfiFromElfImage, cfiFromMemory, moduleProviderForCore, Unwinder, unwindThreads, type UnwindMemory, type UnwindModuleProvider } from '../../../main/core/unwind';
import { ElfImage } from '../../../main/core/elf';
import { compareWithGdb, describeMismatches, gdbForComparison } from '../../helpers/gdb-compare';
import { captureCore, compile, haveTool, type Captured } from '../../helpers/native';
import { compareWithReadelf, runReadelfFrames } from '../../unit/unwind/readelf-frames';
import { CORPUS } from './corpus';
import { hex, openAndUnwind, type UnwoundCore } from './open-core';

const canRun = haveTool('gcc') && haveTool('gdb') && haveTool('gcore') && haveTool('readelf');

/** The same modules, with the named ones' unwind tables hidden. */
function hideCfi(provider: UnwindModuleProvider, names: string[]): UnwindModuleProvider {
  return {
    moduleFor: (pc) => {
      const m = provider.moduleFor(pc);
      return m && names.includes(m.name) ? { ...m, cfi: () => null } : m;
    },
  };
}

describe.skipIf(!canRun)('degraded unwinding on real cores', () => {
  const programs = new Map<string, { exe: string; captured: Captured; unwound: UnwoundCore; gdbText: string }>();

  beforeAll(async () => {
    for (const name of ['frame-pointers', 'deep-o2', 'signals']) {
      const p = CORPUS.find((x) => x.name === name);
      if (!p) throw new Error(name);
      const exe = compile(p.name, p.source, p.compile);
      const captured = await captureCore(exe, p.run);
      programs.set(name, { exe, captured, unwound: openAndUnwind(captured.core), gdbText: gdbForComparison(exe, captured.core) });
    }
  });

  afterAll(() => {
    for (const p of programs.values()) {
      p.unwound.close();
      p.captured.remove();
    }
  });

  const get = (name: string) => {
    const p = programs.get(name);
    if (!p) throw new Error(`${name} was not captured`);
    return p;
  };

  it('without the executable\'s CFI, the frame-pointer chain finds the same frames as gdb', () => {
    const p = get('frame-pointers');
    const { core, provider } = p.unwound;
    const exeName = path.basename(p.exe);
    // Frame pointers first, then the scan: main's caller (__libc_start_call_main) keeps no frame
    // pointer, so the saved rbp fails the check and the scan finds that return address.
    const stacks = unwindThreads(core.memory, hideCfi(provider, [exeName]), core.threads);
    const r = compareWithGdb(stacks.map((s) => ({ tid: s.tid, frames: s.stack.frames })), p.gdbText);
    console.log(`no CFI for ${exeName} (fp, then scan): ${r.pcMatches}/${r.framesCompared}\n${describeMismatches(r).join('\n')}`);
    expect(r.ratio).toBe(1);
    // _start has no CFI saying it is outermost: without it, that walk cannot end 'ok'.
    expect(stacks.find((s) => s.tid === core.threads[0].tid)?.stack.stop.reason).toBe('noCfi');
    const chain = stacks.find((s) => s.tid === p.captured.tids.get('chain'));
    const hows = chain?.stack.frames.map((f) => f.how) ?? [];
    // level_four is found by libc's CFI; its callers level_three..chain by the frame pointers;
    // start_thread by fp from chain; clone3 by CFI again.
    expect(hows.filter((h) => h === 'fp').length).toBeGreaterThanOrEqual(4);
    expect(chain?.stack.stop.reason).toBe('ok');
  });

  it('without CFI or frame pointers, the validated stack scan still finds the return addresses', () => {
    const p = get('frame-pointers');
    const { core, provider } = p.unwound;
    const exeName = path.basename(p.exe);
    const stacks = unwindThreads(core.memory, hideCfi(provider, [exeName]), core.threads, { useFramePointers: false });
    const r = compareWithGdb(stacks.map((s) => ({ tid: s.tid, frames: s.stack.frames })), p.gdbText);
    console.log(`stack scan only for ${exeName}: ${r.pcMatches}/${r.framesCompared}\n${describeMismatches(r).join('\n')}`);
    const chain = stacks.find((s) => s.tid === p.captured.tids.get('chain'));
    expect(chain?.stack.frames.some((f) => f.how === 'scan')).toBe(true);
    expect(r.ratio).toBeGreaterThanOrEqual(0.9);
  });

  it('without any CFI at all, every walk still ends, each frame saying how it was found', () => {
    const p = get('deep-o2');
    const { core } = p.unwound;
    const names = core.modules.map((m) => m.name);
    const stacks = unwindThreads(core.memory, hideCfi(p.unwound.provider, names), core.threads);
    const r = compareWithGdb(stacks.map((s) => ({ tid: s.tid, frames: s.stack.frames })), p.gdbText);
    const hows = new Map<string, number>();
    for (const s of stacks) for (const f of s.stack.frames) hows.set(f.how, (hows.get(f.how) ?? 0) + 1);
    console.log(`no CFI anywhere (-O2, no frame pointers): ${r.pcMatches}/${r.framesCompared} match gdb; frames by method ${JSON.stringify(Object.fromEntries(hows))}; stops ${stacks.map((s) => s.stack.stop.reason).join(',')}`);
    for (const s of stacks) {
      expect(s.stack.frames.length).toBeLessThanOrEqual(512);
      for (const f of s.stack.frames.slice(1)) expect(['fp', 'scan', 'context']).toContain(f.how);
    }
    // A 200-frame recursion through scanned return addresses: most of it is recovered.
    const deep = stacks.find((s) => s.tid === p.captured.tids.get('deep'));
    expect(deep?.stack.frames.length).toBeGreaterThan(150);
  });

  it("the vDSO's tables come from the dump's memory and agree with readelf on the vDSO image", () => {
    const p = get('frame-pointers');
    const { core } = p.unwound;
    const vdso = core.modules.find((m) => m.kind === 'vdso');
    expect(vdso).toBeDefined();
    if (!vdso) return;
    const tables = cfiFromMemory(core.memory, { name: vdso.name, base: vdso.base, loadBias: vdso.loadBias });
    expect(tables).not.toBeNull();
    if (!tables) return;
    const image = core.memory.read(vdso.start, Number(vdso.end - vdso.start));
    expect(image).not.toBeNull();
    if (!image) return;
    const file = path.join(p.captured.dir, 'vdso.so');
    fs.writeFileSync(file, image);
    const stats = compareWithReadelf(tables, runReadelfFrames(file), Number(vdso.loadBias));
    console.log(`vDSO from the dump: ${stats.fdes} FDEs, ${stats.rows} rows agree with readelf`);
    expect(stats.fdes).toBeGreaterThan(3);
    // The default provider serves the vDSO from memory too.
    const m = p.unwound.provider.moduleFor(vdso.start + 0x1000n);
    expect(m?.name).toBe('[vdso]');
    expect(m?.cfi()?.hasEhFrameHdr).toBe(true);
  });

  it("libc's tables read from the dump's memory (code pages served from the file) equal the file's", () => {
    const p = get('frame-pointers');
    const { core } = p.unwound;
    const libc = core.modules.find((m) => m.name.startsWith('libc.so'));
    expect(libc).toBeDefined();
    if (!libc) return;
    const fromMemory = cfiFromMemory(core.memory, { name: libc.name, base: libc.base, loadBias: libc.loadBias });
    const image = ElfImage.open(libc.path);
    try {
      const fromFile = cfiFromElfImage(image, libc.loadBias);
      expect(fromMemory?.hasEhFrameHdr).toBe(true);
      const fdes = fromFile?.listFdes('eh_frame') ?? [];
      expect(fdes.length).toBeGreaterThan(1000);
      const bias = Number(libc.loadBias);
      for (const f of fdes.filter((_, i) => i % 5 === 0)) {
        const pc = f.pcBegin + bias + Math.floor((f.pcEnd - f.pcBegin) / 2);
        const a = fromFile?.rowAt(pc)?.row;
        const b = fromMemory?.rowAt(pc)?.row;
        expect(b && { cfa: b.cfa, regs: [...b.registers] }, `0x${pc.toString(16)}`).toEqual(a && { cfa: a.cfa, regs: [...a.registers] });
      }
    } finally {
      image.close();
    }
  });

  it('a core whose stack segment was cut short: the walk stops with missingMemory and says where', () => {
    const p = get('deep-o2');
    const cut = path.join(p.captured.dir, 'core.cut');
    fs.copyFileSync(p.captured.core, cut);
    // The deep thread's stack segment keeps 2 KiB above rsp (p_filesz < p_memsz, as when the
    // kernel stops writing a segment); its 200 frames need about 6 KiB.
    const deepTid = p.captured.tids.get('deep') ?? -1;
    const rsp = p.unwound.core.threadByTid(deepTid)?.registers.rsp ?? 0n;
    const src = FileSource.open(cut);
    const header = readElfHeader(src);
    const phdrs = readProgramHeaders(src, header);
    src.close();
    const i = phdrs.findIndex((ph) => ph.type === ElfConstants.PT_LOAD && rsp >= ph.vaddr && rsp < ph.vaddr + ph.memsz);
    expect(i).toBeGreaterThanOrEqual(0);
    const keep = rsp - phdrs[i].vaddr + 2048n;
    const fd = fs.openSync(cut, 'r+');
    const field = Buffer.alloc(8);
    field.writeBigUInt64LE(keep);
    fs.writeSync(fd, field, 0, 8, header.phoff + i * ElfConstants.ELF64_PHDR_SIZE + 32); // p_filesz
    fs.closeSync(fd);
    const core = CoreDump.open(cut);
    const files = attachModuleFiles(core.memory, core.modules, (m) => (m.path.startsWith('/') ? { path: m.path } : null));
    const provider = moduleProviderForCore(core);
    try {
      const stacks = unwindThreads(core.memory, provider, core.threads);
      const deep = stacks.find((s) => s.tid === deepTid);
      console.log(`cut stack: ${deep?.stack.frames.length} frames, ${deep?.stack.stop.reason}: ${deep?.stack.stop.detail}`);
      expect(deep?.stack.stop.reason).toBe('missingMemory');
      expect(deep?.stack.stop.detail).toMatch(/stack memory at 0x[0-9a-f]+ is not in the dump/);
      const frames = deep?.stack.frames ?? [];
      expect(frames.length).toBeGreaterThan(30);
      expect(frames.length).toBeLessThan(150);
      // Every frame found before the cut is one gdb has on the full core.
      const full = p.unwound.stacks.find((s) => s.tid === deepTid)?.stack.frames ?? [];
      expect(frames.map((f) => f.pc)).toEqual(full.slice(0, frames.length).map((f) => f.pc));
      for (const s of stacks) if (s.tid !== deepTid) expect(s.stack.stop.reason).toBe('ok');
    } finally {
      provider.close();
      for (const f of files) f.close();
      core.close();
    }
  });

  it('a stack of random words costs little and never hangs', () => {
    const p = get('deep-o2');
    const { core, provider } = p.unwound;
    let x = 0x9e3779b9;
    const rand = (): bigint => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return BigInt(x);
    };
    // Stack words become random values, some of them pointing at real code or back into the stack.
    const stackOf = (addr: bigint) => core.threads.some((t) => addr >= t.registers.rsp - 0x10000n && addr < t.registers.rsp + 0x100000n);
    const code = core.modules.filter((m) => m.isElf).map((m) => m.start);
    const hostile: UnwindMemory = {
      read: (addr, length) => {
        if (!stackOf(addr)) return core.memory.read(addr, length);
        const b = Buffer.alloc(length);
        for (let i = 0; i + 8 <= length; i += 8) {
          const r = rand();
          const kind = r % 4n;
          const v = kind === 0n ? code[Number(r % BigInt(code.length))] + (r % 0x20000n) : kind === 1n ? addr + (r % 0x400n) - 0x200n : (r << 32n) | rand();
          b.writeBigUInt64LE(BigInt.asUintN(64, v), i);
        }
        return b;
      },
      readU64: (addr) => hostile.read(addr, 8)?.readBigUInt64LE(0) ?? null,
      segmentAt: (addr) => core.memory.segmentAt(addr),
    };
    const t0 = performance.now();
    const reasons = new Map<string, number>();
    let frames = 0;
    for (let round = 0; round < 20; round++) {
      for (const t of core.threads) {
        const s = new Unwinder(hostile, provider).unwind(t.registers);
        frames += s.frames.length;
        reasons.set(s.stop.reason, (reasons.get(s.stop.reason) ?? 0) + 1);
        expect(s.frames.length).toBeLessThanOrEqual(512);
      }
    }
    const ms = performance.now() - t0;
    console.log(`random stacks: ${frames} frames in ${ms.toFixed(0)} ms; stops ${JSON.stringify(Object.fromEntries(reasons))}`);
    expect(ms).toBeLessThan(20_000);
  });

  it('signal trampolines without CFI are recognised by their bytes; the ucontext gives the interrupted registers', () => {
    const p = get('signals');
    const { core, provider } = p.unwound;
    const libc = core.modules.find((m) => m.name.startsWith('libc.so'));
    expect(libc).toBeDefined();
    if (!libc) return;
    const stacks = unwindThreads(core.memory, hideCfi(provider, [libc.name]), core.threads);
    for (const role of ['in_syscall', 'spinning', 'handler_locks']) {
      const tid = p.captured.tids.get(role);
      const degraded = stacks.find((x) => x.tid === tid)?.stack.frames ?? [];
      const full = p.unwound.stacks.find((x) => x.tid === tid)?.stack.frames ?? [];
      const i = degraded.findIndex((f) => f.isSignalFrame);
      const j = full.findIndex((f) => f.isSignalFrame);
      const summary = degraded.map((f) => `${f.how}:${hex(f.pc)}${f.isSignalFrame ? '(sig)' : ''}`).join(' ');
      console.log(`${role} without libc CFI: ${summary}`);
      expect(i, role).toBeGreaterThan(0);
      // The trampoline is __restore_rt in both walks; the frame it interrupted comes from the
      // ucontext, with the same registers glibc's CFI recovers.
      expect(degraded[i].pc).toBe(full[j].pc);
      expect(degraded[i + 1].how).toBe('context');
      expect(degraded[i + 1].pc).toBe(full[j + 1].pc);
      expect(degraded[i + 1].lookupPc).toBe(full[j + 1].pc);
      expect(degraded[i + 1].registers).toEqual(full[j + 1].registers);
      expect(degraded[i].cfa).toBe(full[j + 1].sp);
    }
  });

  it('the depth limit', () => {
    const p = get('deep-o2');
    const { core, provider } = p.unwound;
    const deep = core.threadByTid(p.captured.tids.get('deep') ?? -1);
    expect(deep).toBeDefined();
    if (!deep) return;
    const s = new Unwinder(core.memory, provider, { maxDepth: 50 }).unwind(deep.registers);
    expect(s.frames.length).toBe(50);
    expect(s.stop).toEqual({ reason: 'depthLimit', detail: 'stopped after 50 frames' });
  });
});
