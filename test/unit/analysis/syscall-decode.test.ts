import { describe, expect, it } from 'vitest';
import { decodeFutex, syscallText } from '../../../main/core/analysis';

const a = (...v: number[]) => [...v, 0, 0, 0, 0, 0, 0].slice(0, 6).map((x) => BigInt(x));

describe('syscall decoding', () => {
  it('decodes futex ops, flags and the expected value', () => {
    // glibc 2.36 pthread_join: FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME (0x109) on the tid field.
    const join = decodeFutex(a(0x7fb7e16ca990, 0x109, 2252, 0));
    expect(join).toMatchObject({ cmdName: 'FUTEX_WAIT_BITSET', private: false, realtime: true, value: 2252, isWait: true });
    expect(syscallText('futex', a(0x5610ff7d30c0, 128, 2, 0))).toBe('futex(0x5610ff7d30c0, FUTEX_WAIT_PRIVATE, 2, NULL)');
    expect(decodeFutex(a(0x1000, 6 | 128, 0, 0))).toMatchObject({ cmdName: 'FUTEX_LOCK_PI', isPi: true, private: true });
    expect(syscallText('futex', a(0x1000, 1 | 128, 1))).toBe('futex(0x1000, FUTEX_WAKE_PRIVATE, 1)');
  });

  it('prints the calls threads block in like strace', () => {
    expect(syscallText('read', a(3, 0x7ffd0000, 1))).toBe('read(3, 0x7ffd0000, 1)');
    expect(syscallText('poll', a(0x7f00, 1, -1 >>> 0))).toBe('poll(0x7f00, 1, -1)');
    expect(syscallText('wait4', a(23476, 0x7ffff918ec3c, 0, 0))).toBe('wait4(23476, 0x7ffff918ec3c, 0x0, NULL)');
    expect(syscallText('pause', a())).toBe('pause()');
    expect(syscallText('kcmp', a(1, 2))).toBe('kcmp(0x1, 0x2, 0x0, 0x0, 0x0, 0x0)');
  });
});
