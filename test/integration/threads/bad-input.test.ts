// Bad input gets one clear line on stderr naming the file and the problem, exit code 1,
// nothing on stdout, and no stack trace. Hostile cores are made from a real one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { captureCore, compile, gdbBatch, type Captured } from '../../helpers/native';
import { SINGLE_THREAD } from '../../helpers/programs';
import { runCli, SHARED_FIXTURES, tempIndex } from '../../helpers/cli';
import { mutatedCopy, programHeaders, truncatedCopy } from '../../helpers/mutate';

const PT_LOAD = 1;
const PT_NOTE = 4;

describe('bad input', () => {
  let real: Captured;
  let exe: string;
  let dir: string;
  const index = tempIndex();

  beforeAll(async () => {
    exe = compile('single', SINGLE_THREAD);
    real = await captureCore(exe);
    dir = real.dir;
  });
  afterAll(() => real?.remove());

  function expectBadInput(file: string, message: RegExp, args: string[] = []) {
    const r = runCli(['threads', file, ...args], { index });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^dumpscope: /);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }

  it('a missing file', () => expectBadInput(path.join(dir, 'nope.core'), /no such file/));
  it('a directory', () => expectBadInput(dir, /is a directory/));
  it('an empty file', () => {
    const f = path.join(dir, 'empty.core');
    fs.writeFileSync(f, '');
    expectBadInput(f, /file is empty/);
  });
  it('a file that is not ELF', () => {
    const f = path.join(dir, 'notes.txt');
    fs.writeFileSync(f, 'these are my notes about the crash\n');
    expectBadInput(f, /not an ELF file/);
  });
  it('an ELF executable, not a core', () => expectBadInput(exe, /is a shared object or PIE executable, not a core dump/));
  it('a 32-bit core', () => {
    const f = mutatedCopy(real.core, dir, 'core32', (b) => {
      b[4] = 1;
      return b;
    });
    expectBadInput(f, /32-bit .* not supported yet/);
  });
  it('a big-endian core', () => {
    const f = mutatedCopy(real.core, dir, 'core-be', (b) => {
      b[5] = 2;
      return b;
    });
    expectBadInput(f, /big-endian .* not supported yet/);
  });
  it('a core of another architecture', () => {
    const f = mutatedCopy(real.core, dir, 'core-arm', (b) => {
      b.writeUInt16LE(183, 18);
      return b;
    });
    expectBadInput(f, /AArch64 core dumps are not supported yet/);
  });

  describe('truncated at several offsets', () => {
    it('inside the ELF identification', () => expectBadInput(truncatedCopy(real.core, dir, 't10', 10), /truncated/));
    it('inside the ELF header', () => expectBadInput(truncatedCopy(real.core, dir, 't40', 40), /truncated inside the ELF header/));
    it('inside the program headers', () => expectBadInput(truncatedCopy(real.core, dir, 't100', 100), /truncated: its \d+ program headers end at/));
    it('inside the notes', () => {
      const note = programHeaders(fs.readFileSync(real.core)).find((p) => p.type === PT_NOTE)!;
      expectBadInput(truncatedCopy(real.core, dir, 'tnote', note.offset + 100), /core is truncated: its notes end at offset/);
    });
    it('inside memory: refused, and opened with --partial', () => {
      // createdump (like the kernel) writes notes before memory; cut in the middle of memory.
      const fixture = path.join(SHARED_FIXTURES, 'dotnet', 'triagedump.gz');
      if (!fs.existsSync(fixture)) {
        console.warn(`skipped: ${fixture} is absent`);
        return;
      }
      const whole = path.join(dir, 'triagedump');
      fs.writeFileSync(whole, gunzipSync(fs.readFileSync(fixture)));
      const loads = programHeaders(fs.readFileSync(whole)).filter((p) => p.type === PT_LOAD && p.filesz > 0);
      const cut = loads[Math.floor(loads.length / 2)].offset + 10;
      const f = truncatedCopy(whole, dir, 'tmem', cut);
      expectBadInput(f, /core is truncated: \d+ of \d+ bytes .* open it with --partial/);
      const r = runCli(['threads', f, '--partial', '--json'], { index });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^dumpscope: warning: .*core is truncated/);
      expect((JSON.parse(r.stdout) as { threads: unknown[] }).threads).toHaveLength(7);
    });
  });

  it('a note whose size runs past its segment', () => {
    const f = mutatedCopy(real.core, dir, 'badnote', (b) => {
      const note = programHeaders(b).find((p) => p.type === PT_NOTE)!;
      b.writeUInt32LE(note.filesz * 4, note.offset + 4); // descsz of the first note
      return b;
    });
    expectBadInput(f, /note at offset 0x[0-9a-f]+ .* runs past the end of its segment/);
  });

  it('reads PN_XNUM cores (more than 65534 program headers) as gdb does', () => {
    // No real process here can have 65535 mappings (vm.max_map_count is 65530), so take a real
    // core and switch it to extended numbering: e_phnum = PN_XNUM, real count in section 0.
    const f = mutatedCopy(real.core, dir, 'xnum', (b) => {
      const phnum = b.readUInt16LE(56);
      const sh0 = Buffer.alloc(64);
      sh0.writeUInt32LE(phnum, 44); // sh_info = real e_phnum
      const shoff = b.length;
      b.writeBigUInt64LE(BigInt(shoff), 40); // e_shoff
      b.writeUInt16LE(0xffff, 56); // e_phnum = PN_XNUM
      b.writeUInt16LE(64, 58); // e_shentsize
      b.writeUInt16LE(1, 60); // e_shnum
      b.writeUInt16LE(0, 62); // e_shstrndx
      return Buffer.concat([b, sh0]);
    });
    const r = runCli(['threads', f, '--json'], { index });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { threads: { tid: number }[] };
    expect(doc.threads.map((t) => t.tid)).toEqual([real.tids.get('main')]);
    expect(gdbBatch(exe, f, ['info threads'])).toContain(`LWP ${real.tids.get('main')}`);
  });

  it('never leaves a half-written index entry', () => {
    // The bad inputs above left nothing behind.
    const r = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3'); const db=new D(${JSON.stringify(index)},{readonly:true}); console.log(JSON.stringify(db.prepare('SELECT path FROM dumps').all().map(r=>r.path)))`], { encoding: 'utf8' });
    const paths = JSON.parse(r.stdout) as string[];
    expect(paths.every((p) => /xnum|tmem/.test(p))).toBe(true);
  });
});
