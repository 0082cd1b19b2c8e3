// The "just after a call" test that validates frame-pointer and stack-scan return addresses,
// on every call instruction of libc's .text as objdump decodes it (all the forms glibc uses:
// e8 rel32, ff /2 through registers, [reg+disp], [rip+disp], SIB, REX prefixes), and on the
// ends of every other instruction (which must rarely look like calls).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ElfImage } from '../../../main/core/elf';
import { endsWithCall } from '../../../main/core/unwind';
import { haveTool } from '../../helpers/native';

const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';

interface Insn {
  addr: number;
  size: number;
  mnemonic: string;
  bytes: string;
}

function disassemble(file: string): Insn[] {
  const r = spawnSync('objdump', ['-d', '-j', '.text', '-w', file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const out: Insn[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s+([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t(.*)$/.exec(line);
    if (!m) continue;
    const bytes = m[2].trim();
    out.push({ addr: parseInt(m[1], 16), size: bytes.split(' ').length, mnemonic: m[3].replace(/^(notrack|bnd|data16|cs|ds) /, '').split(/\s+/)[0], bytes });
  }
  return out;
}

describe.skipIf(!haveTool('objdump'))('return addresses follow call instructions', () => {
  it("every call in libc's .text is recognised; other instruction ends rarely are", () => {
    const image = ElfImage.open(LIBC);
    try {
      const insns = disassemble(LIBC);
      expect(insns.length).toBeGreaterThan(100_000);
      const before = (ra: number): Buffer => {
        const off = image.fileOffsetOfVaddr(BigInt(ra - 8));
        if (off === null) throw new Error(`0x${ra.toString(16)} is not in a PT_LOAD`);
        return image.source.read(off, 8);
      };
      const forms = new Map<string, number>();
      let calls = 0;
      let others = 0;
      let falsePositives = 0;
      for (const i of insns) {
        const ra = i.addr + i.size;
        const isCall = i.mnemonic === 'call';
        if (isCall) {
          calls++;
          const form = i.bytes.startsWith('e8') ? 'e8 rel32' : `ff/2, ${i.size} bytes`;
          forms.set(form, (forms.get(form) ?? 0) + 1);
          expect(endsWithCall(before(ra)), `call at 0x${i.addr.toString(16)}: ${i.bytes}`).toBe(true);
        } else if (!i.bytes.endsWith('00 00 00 00') || i.size < 8) {
          others++;
          if (endsWithCall(before(ra))) falsePositives++;
        }
      }
      const rate = falsePositives / others;
      console.log(
        `libc: ${calls} calls recognised (${[...forms].map(([f, n]) => `${f}: ${n}`).join(', ')}); ` +
          `${falsePositives} of ${others} other instruction ends look like calls (${(100 * rate).toFixed(2)}%)`,
      );
      expect(forms.size).toBeGreaterThanOrEqual(4);
      expect(rate).toBeLessThan(0.05);
    } finally {
      image.close();
    }
  });

  it('forms spelled out', () => {
    const ends = (hex: string) => endsWithCall(Buffer.from(hex.replace(/ /g, ''), 'hex'));
    expect(ends('90 90 90 e8 10 20 30 40')).toBe(true); // call rel32
    expect(ends('90 90 90 90 90 90 ff d0')).toBe(true); // call *%rax
    expect(ends('90 90 90 90 90 41 ff d3')).toBe(true); // call *%r11
    expect(ends('90 90 ff 15 00 10 00 00')).toBe(true); // call *0x1000(%rip)
    expect(ends('90 90 90 90 90 ff 53 08')).toBe(true); // call *0x8(%rbx)
    expect(ends('90 90 90 90 ff 54 24 08')).toBe(true); // call *0x8(%rsp) (SIB + disp8)
    expect(ends('90 ff 94 24 00 01 00 00')).toBe(true); // call *0x100(%rsp) (SIB + disp32)
    expect(ends('41 ff 94 24 00 01 00 00')).toBe(true); // call *0x100(%r12) (REX + SIB + disp32)
    expect(ends('90 90 90 90 90 3e ff d0')).toBe(true); // notrack call *%rax
    expect(ends('90 90 90 90 90 90 ff e0')).toBe(false); // jmp *%rax (ff /4)
    expect(ends('90 90 90 90 90 90 90 c3')).toBe(false); // ret
    expect(ends('90 e8')).toBe(false); // too short
  });
});
