// Replays saved findings in this process, one after the other, and prints how each ends:
//   npx tsx test/fuzz/replay.ts test-output/fuzz-findings/finding-2-1459.json [...]
// (In-process, so a hang hangs here too: use it under `timeout`, or with a debugger attached.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DumpIndex } from '../../main/core/index';
import { loadBases, pathsFor, type Finding } from './campaign';
import { runJob } from './harness';
import { ALL_TARGETS } from './inputs';

async function main(): Promise<void> {
  const bases = await loadBases(ALL_TARGETS);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-replay-'));
  const index = DumpIndex.open(path.join(scratch, 'index.sqlite'));
  try {
    for (const file of process.argv.slice(2)) {
      const f = JSON.parse(fs.readFileSync(file, 'utf8')) as Finding | Finding['input'];
      const input = 'input' in f ? f.input : f;
      const started = performance.now();
      const r = runJob({ id: 0, input, paths: pathsFor(input, bases) }, scratch, index);
      console.log(`${file}: ${r.outcome}${r.code ? ` ${r.code}` : ''} in ${Math.round(performance.now() - started)} ms${r.message ? `: ${r.message}` : ''}${r.stack ? `\n${r.stack}` : ''}`);
    }
  } finally {
    index.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
