// The disassemble method through `dumpscope serve`, on a real core of a dynamically linked
// program (gcore leaves the text out: the code comes from the files whose build-id matches),
// against gdb's `disassemble` in the same frame: the same instructions, the pc marked where gdb
// marks it (`=>`), offsets as gdb prints them. Also: the call in progress in callers' frames, the
// search method over the same server, the dumps kept open stay few, and clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ApiError } from '../../../shared/errors';
import { type Disassembly, type DumpSummary, type SearchResults, type ThreadStack } from '../../../shared/types';
import { captureCore, compile, gdbBatch, haveTool, type Captured } from '../../helpers/native';
import { LOCK_ORDER_DEADLOCK } from '../../helpers/lock-programs';
import { tempIndex } from '../../helpers/cli';
import { apiCall, startServe, type ServeProcess } from './serve-process';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

async function call<T>(s: ServeProcess, method: string, args: unknown): Promise<T> {
  const r = await apiCall(s, method, args);
  const o = r.json<Outcome<T>>();
  if (!o.ok) throw new Error(`${method}: ${o.error.code}: ${o.error.message}`);
  return o.value;
}

interface GdbInsn {
  address: string;
  offset: number;
}

/** gdb's `disassemble ADDR` (the whole function holding ADDR, decoded from its start), by ADDR. */
function gdbDisassembly(exe: string, core: string, addresses: string[]): Map<string, GdbInsn[]> {
  const cmds: string[] = [];
  for (const a of addresses) cmds.push(`echo @@@ ${a}\\n`, `disassemble ${a}`);
  const out = gdbBatch(exe, core, cmds);
  const byKey = new Map<string, GdbInsn[]>();
  for (const part of out.split('@@@ ').slice(1)) {
    const [head, ...lines] = part.split('\n');
    const insns: GdbInsn[] = [];
    for (const l of lines) {
      const m = /^(?:=>| {2}) (0x[0-9a-f]+) <\+(\d+)>:/.exec(l);
      if (m) insns.push({ address: `0x${BigInt(m[1]).toString(16)}`, offset: Number(m[2]) });
    }
    byKey.set(head.trim(), insns);
  }
  return byKey;
}

describe.skipIf(!haveTool('gdb'))('disassemble through dumpscope serve', () => {
  let s: ServeProcess;
  let core: Captured;
  let exe: string;
  let dump: DumpSummary;
  const index = tempIndex();

  beforeAll(async () => {
    exe = compile('disasm-lockorder', LOCK_ORDER_DEADLOCK);
    [s, core] = await Promise.all([startServe(index), captureCore(exe, { settleMs: 300 })]);
    dump = await call<DumpSummary>(s, 'openDump', { path: core.core });
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(0);
    core?.remove();
  });

  it("shows gdb's instructions around every frame's pc, decoded from the function's start", async () => {
    const stacks = await call<ThreadStack[]>(s, 'getStacks', { dumpId: dump.id });
    const frames = stacks.flatMap((st) => st.frames.filter((f) => !f.inline && f.function !== null && f.index < 8).map((f) => ({ tid: st.tid, frame: f })));
    // A frame's pc is a return address unless it is the innermost real frame or follows a signal.
    const isReturnAddress = (tid: number, index: number) => {
      const all = stacks.find((x) => x.tid === tid)?.frames ?? [];
      return all.slice(0, index).some((f) => !f.inline) && !all[index].signalFrame;
    };
    // gdb disassembles the function holding the address: for a return address, the byte before it.
    const lookupAt = (f: { tid: number; frame: ThreadStack['frames'][number] }) => `0x${(BigInt(f.frame.pc) - (isReturnAddress(f.tid, f.frame.index) ? 1n : 0n)).toString(16)}`;
    const gdb = gdbDisassembly(exe, core.core, frames.map(lookupAt));
    let compared = 0;
    for (const f of frames) {
      const { tid, frame } = f;
      const ret = isReturnAddress(tid, frame.index);
      const d = await call<Disassembly>(s, 'disassemble', { dumpId: dump.id, pc: frame.pc, before: 6, after: 6, returnAddress: ret });
      const want = gdb.get(lookupAt(f)) ?? [];
      const at = want.findIndex((i) => i.address === frame.pc);
      if (at < 0) continue; // gdb knows no function there
      expect(d.unavailable, `${frame.function}`).toBeNull();
      expect(d.start).toBe('function');
      const cur = d.instructions.findIndex((i) => i.current);
      expect(d.instructions[cur].address).toBe(frame.pc);
      const ours = d.instructions.map((i) => `${i.address} <+${i.offset}>`);
      const theirs = want.slice(Math.max(0, at - 6), at + 7).map((i) => `${i.address} <+${i.offset}>`);
      // gdb stops at the function's end; we may run on past it
      const from = cur - Math.min(6, at);
      expect(ours.slice(from, from + theirs.length), `${frame.module}\`${frame.function}`).toEqual(theirs);
      expect(d.function).toBe(frame.function);
      if (ret) expect(d.instructions[cur - 1].callSite, `${frame.function}`).toBe(true);
      else expect(d.instructions.some((i) => i.callSite)).toBe(false);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it('reads the code from the module file when the core lacks it (gcore omits text)', async () => {
    const stacks = await call<ThreadStack[]>(s, 'getStacks', { dumpId: dump.id });
    const libcFrame = stacks.flatMap((x) => x.frames).find((f) => /^libc\.so/.test(f.module ?? ''));
    expect(libcFrame).toBeDefined();
    const d = await call<Disassembly>(s, 'disassemble', { dumpId: dump.id, pc: libcFrame?.pc, syntax: 'intel' });
    expect(d.codeSource).toBe('file');
    expect(d.codeFile).toMatch(/libc\.so\.6$/);
    expect(d.syntax).toBe('intel');
    expect(d.instructions.some((i) => /^(mov|cmp|test|lea|xor)$/.test(i.mnemonic))).toBe(true);
  });

  it('says when there is no code at an address, and refuses what is not an address', async () => {
    const d = await call<Disassembly>(s, 'disassemble', { dumpId: dump.id, pc: '0x10' });
    expect(d.instructions).toEqual([]);
    expect(d.unavailable).toMatch(/not in the dump/);
    const bad = await apiCall(s, 'disassemble', { dumpId: dump.id, pc: 'main' });
    expect(bad.status).toBe(400);
    expect(bad.json<Outcome<never>>()).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
    const unknown = (await apiCall(s, 'disassemble', { dumpId: 999, pc: '0x1000' })).json<Outcome<never>>();
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UnknownDump' } });
  });

  it('keeps at most a few dumps open, and closes a removed dump', async () => {
    // The copies' cores held open by the server (analysis workers close theirs when done).
    const openCores = () =>
      fs
        .readdirSync(`/proc/${s.child.pid}/fd`)
        .map((f) => {
          try {
            return fs.readlinkSync(`/proc/${s.child.pid}/fd/${f}`);
          } catch {
            return '';
          }
        })
        .filter((l) => /copy-\d\.core$/.test(l));
    const copies: DumpSummary[] = [];
    for (let i = 0; i < 7; i++) {
      const p = path.join(core.dir, `copy-${i}.core`);
      fs.copyFileSync(core.core, p);
      copies.push(await call<DumpSummary>(s, 'openDump', { path: p }));
    }
    const stacks = await call<ThreadStack[]>(s, 'getStacks', { dumpId: copies[0].id });
    const pc = stacks[0].frames[0].pc;
    await expect.poll(() => openCores().length).toBe(0);
    for (const c of copies) await call<Disassembly>(s, 'disassemble', { dumpId: c.id, pc });
    // four views at most, the most recently used: copies 3 to 6
    expect(openCores().sort()).toEqual([3, 4, 5, 6].map((i) => path.join(core.dir, `copy-${i}.core`)));
    for (const c of copies) await call(s, 'removeDump', { dumpId: c.id });
    expect(openCores()).toEqual([]);
  });

  it('a dump rewritten since it was indexed is not misread', async () => {
    const p = path.join(core.dir, 'changing.core');
    fs.copyFileSync(core.core, p);
    const d = await call<DumpSummary>(s, 'openDump', { path: p });
    fs.appendFileSync(p, Buffer.alloc(16));
    const r = (await apiCall(s, 'disassemble', { dumpId: d.id, pc: '0x401000' })).json<Outcome<never>>();
    expect(r).toMatchObject({ ok: false, error: { code: 'DumpChanged' } });
  });

  it('searches the index through the same door', async () => {
    const r = await call<SearchResults>(s, 'search', { query: '__lll_lock_wait' });
    expect(r.groups.map((g) => g.dump.id)).toContain(dump.id);
    const hostile = await apiCall(s, 'search', { query: 'NEAR("' });
    expect(hostile.status).toBe(200);
    const tooLong = await apiCall(s, 'search', { query: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
  });
});
