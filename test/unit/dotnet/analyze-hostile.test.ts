// Hostile input is normal: transcripts cut, shuffled and mutated (from the real article
// transcripts) go through parsing, identities, rules and graph without an exception, quickly.
import { describe, expect, it } from 'vitest';
import { analyzeDotnet, parseTranscript } from '../../../main/core/dotnet/index';
import { fixture } from './fixtures';

const FILES = ['article-dotnet-dump-session.txt', 'article-lldb-session.txt', 'article-lldb-symbols-backtrace.txt', 'diagnostics-hung-app-syncblk.txt', 'gdb-core-O0.txt'];

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const analyzeTexts = (texts: string[]) => analyzeDotnet(texts.map((t) => parseTranscript(t)), null);

describe('analyzeDotnet on hostile transcripts', () => {
  const texts = FILES.map(fixture);

  it('every cut of the article\'s sessions', () => {
    for (const t of texts) {
      const lines = t.split('\n');
      for (let n = 0; n <= lines.length; n += 3) {
        const r = analyzeTexts([lines.slice(0, n).join('\n'), ...texts.filter((x) => x !== t)]);
        expect(r.locks.verdict.summary.length).toBeGreaterThan(0);
      }
    }
  });

  it('shuffled lines, swapped digits and random bytes', () => {
    const rand = rng(5);
    for (let round = 0; round < 200; round++) {
      const mutated = texts.map((t) => {
        const lines = t.split('\n');
        for (let k = 0; k < 5; k++) {
          const i = Math.floor(rand() * lines.length);
          const j = Math.floor(rand() * lines.length);
          [lines[i], lines[j]] = [lines[j], lines[i]];
        }
        let s = lines.join('\n');
        const chars = [...s];
        for (let k = 0; k < 20; k++) {
          const i = Math.floor(rand() * chars.length);
          const pick = rand();
          chars[i] = pick < 0.3 ? String(Math.floor(rand() * 10)) : pick < 0.6 ? String.fromCharCode(Math.floor(rand() * 0x250)) : '';
        }
        s = chars.join('');
        return s;
      });
      const r = analyzeTexts(mutated);
      expect(Array.isArray(r.locks.edges)).toBe(true);
    }
  });

  it('a thread listed thousands of times, and a 100 000-frame backtrace, stay linear', () => {
    const list = ['(lldb) thread list', 'Process 1 stopped'];
    for (let i = 1; i <= 20_000; i++) list.push(`  thread #${i}: tid = ${1000 + (i % 50)}, 0x0000000000001000 libc.so.6\`__lll_lock_wait + 28, stop reason = signal SIGSTOP`);
    const bt = ['(lldb) bt', '* thread #1, stop reason = signal SIGSTOP'];
    for (let i = 0; i < 100_000; i++) bt.push(`    frame #${i}: 0x00007f28a116e3f9 libcoreclr.so\`ThreadSuspend::SuspendRuntime + ${i}`);
    const t0 = performance.now();
    const r = analyzeTexts([list.join('\n'), bt.join('\n')]);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(r.threads.threads.length).toBe(50);
  });
});
