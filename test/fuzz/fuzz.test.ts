// The short fuzz run of CI: a fixed seed, a few hundred inputs over real cores (the cores, and
// the unwind tables, symbol tables and DWARF of their module files) and the transcript fixtures,
// each run in a child process under a 5 s and 512 MiB bound. Every input must end in a result or
// a typed DumpscopeError, with inert CLI text. The long run is `npm run fuzz` (docs/FUZZING.md).
import { describe, expect, it } from 'vitest';
import { canMakeCores } from './bases';
import { groupFindings, runCampaign } from './campaign';
import { knownIssueOf } from './known-issues';

/** Change it only with a reason: the run is meant to be the same every time. */
export const CI_SEED = 20_250_610;
const CI_INPUTS = 500;

describe.skipIf(!canMakeCores())('fuzz: short run', () => {
  it(`${CI_INPUTS} inputs of seed ${CI_SEED}: each ends in a result or a typed error within 5 s and 512 MiB`, async () => {
    const s = await runCampaign({ seed: CI_SEED, inputs: CI_INPUTS, workers: 2, timeoutMs: 5000, maxRssGrowthMb: 512, saveDir: 'test-output/fuzz-findings' });
    const known = s.findings.filter((f) => knownIssueOf(f) !== null);
    const unknown = s.findings.filter((f) => knownIssueOf(f) === null);
    for (const f of known) console.warn(`known issue ${knownIssueOf(f)?.id} (${knownIssueOf(f)?.owner}): input ${f.input.index}`);
    const report = groupFindings(unknown).map((g) => `${g.count} x ${g.signature}\n  replay: npx tsx test/fuzz/replay.ts test-output/fuzz-findings/finding-${CI_SEED}-${g.first.input.index}.json\n  ${g.first.detail}`);
    expect(report).toEqual([]);
    expect(s.inputs).toBe(CI_INPUTS);
    // The run reached every stage: whole analyses and typed refusals both, on every target.
    expect(s.outcomes.result).toBeGreaterThan(CI_INPUTS / 3);
    expect(s.outcomes.typed).toBeGreaterThan(10);
    expect(Object.keys(s.byTarget).sort()).toEqual(['core', 'module', 'transcript']);
  }, 180_000);
});
