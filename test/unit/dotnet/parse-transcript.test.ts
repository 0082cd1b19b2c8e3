import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { buildThreadIdentities, normalizeTranscript, parseTranscript } from '../../../main/core/dotnet/index';
import { FIXTURE_DIR, fixture } from './fixtures';

const ALL = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.txt'));

/** Deterministic pseudo-random numbers (xorshift32) so failures can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

describe('parseTranscript on damaged real transcripts', () => {
  it('never throws and never loses a line when fixtures are truncated or mutated', () => {
    const next = rng(20210209);
    for (const name of ALL) {
      const text = fixture(name);
      const variants: string[] = [];
      for (let k = 0; k < 6; k++) variants.push(text.slice(0, Math.floor(next() * text.length)));
      for (let k = 0; k < 6; k++) {
        const chars = text.split('');
        for (let m = 0; m < 20; m++) {
          const at = Math.floor(next() * chars.length);
          chars[at] = String.fromCharCode(Math.floor(next() * 128));
        }
        variants.push(chars.join(''));
      }
      // Lines shuffled: commands out of order, headers after rows.
      variants.push(text.split('\n').sort(() => next() - 0.5).join('\n'));
      for (const v of variants) {
        const t = parseTranscript(v);
        expect(t.commands.flatMap((c) => c.block.lines), name).toEqual(normalizeTranscript(v).lines);
        expect(() => buildThreadIdentities(t), name).not.toThrow();
      }
    }
  });

  it('parses every command of every fixture into its kind (no fixture block left as unknown that has a known shape)', () => {
    const unknownWithOutput: string[] = [];
    for (const name of ALL) {
      for (const c of parseTranscript(fixture(name)).commands) {
        if (c.kind !== 'unknown') {
          expect(Array.isArray(c.result.unparsed), name).toBe(true);
          continue;
        }
        if (c.block.command !== null && c.block.command !== '' && c.block.output.some((l) => l.trim() !== '')) unknownWithOutput.push(`${name}: ${c.block.command}`);
      }
    }
    // Commands we do not parse, with output kept as text.
    expect(unknownWithOutput).toEqual([
      'article-lldb-session.txt: target create --core "core_20210205_190420"',
      'issue-coreclr-14490-lldb-sos-clrstack-unknown.txt: sos PrintException',
      'lldb-core-O0.txt: target create "./deadlock" --core "core.10681"',
      'lldb-interactive-python-noise.txt: target create "./deadlock-o2" --core "core.10692"',
      'sosdocs-threadstate.txt: sos ThreadState b220',
    ]);
  });
});
