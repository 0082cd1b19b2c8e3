// Does a return-address candidate follow a call instruction? Used to validate frame-pointer
// and stack-scan results: a real return address is the byte after a `call`.
//
// The forms that end exactly at the candidate (Intel SDM vol. 2, CALL):
//   e8 rel32                         call rel32 (5 bytes)
//   [3e] [REX] ff /2 modrm [sib] [disp]  call r/m64 (2..8 bytes: register, [reg], [reg+disp8],
//                                    [reg+disp32], [rip+disp32], SIB forms), 3e = notrack (CET)

/** Length of an `ff /2` call starting at `bytes[i]` (the 0xff byte), or 0 if it is not one. */
function ffCallLength(bytes: Buffer, i: number): number {
  if (bytes[i] !== 0xff || i + 1 >= bytes.length) return 0;
  const modrm = bytes[i + 1];
  if (((modrm >> 3) & 7) !== 2) return 0;
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (mod === 3) return 2;
  let len = 2;
  if (rm === 4) {
    if (i + 2 >= bytes.length) return 0;
    const sib = bytes[i + 2];
    len += 1;
    if (mod === 0 && (sib & 7) === 5) len += 4; // [index*scale + disp32]
  } else if (mod === 0 && rm === 5) {
    len += 4; // [rip + disp32]
  }
  if (mod === 1) len += 1;
  else if (mod === 2) len += 4;
  return len;
}

/**
 * True when the bytes just before a candidate return address decode as a call that ends at it.
 * `before` holds the up to 8 bytes that precede the candidate (before[before.length-1] is the
 * byte at candidate-1).
 */
export function endsWithCall(before: Buffer): boolean {
  const n = before.length;
  if (n >= 5 && before[n - 5] === 0xe8) return true;
  for (let len = 2; len <= Math.min(8, n); len++) {
    let i = n - len;
    let prefix = 0;
    // Optional notrack (3e) then optional REX (40-4f) before the ff opcode.
    if (before[i] === 0x3e && i + 1 < n) {
      i++;
      prefix++;
    }
    if (before[i] >= 0x40 && before[i] <= 0x4f && i + 1 < n) {
      i++;
      prefix++;
    }
    const l = ffCallLength(before, i);
    if (l > 0 && prefix + l === len) return true;
  }
  return false;
}

/** glibc's __restore_rt on x86-64: `mov $0xf,%rax; syscall` (rt_sigreturn). */
export const SIGRETURN_BYTES = Buffer.from([0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05]);
