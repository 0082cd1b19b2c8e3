// The long fuzz run: npm run fuzz -- --inputs 100000 --seed 7 [--start 0] [--workers 2]
//   [--targets core,module,transcript] [--timeout-ms 5000] [--save DIR]
// Prints progress, then the outcome counts and each distinct finding with the first input that
// showed it; findings are saved as JSON (default test-output/fuzz-findings). Exit 1 on findings.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { groupFindings, runCampaign } from './campaign';
import { ALL_TARGETS, type Target } from './inputs';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    start: { type: 'string', default: '0' },
    workers: { type: 'string' },
    targets: { type: 'string', default: ALL_TARGETS.join(',') },
    'timeout-ms': { type: 'string', default: '5000' },
    save: { type: 'string', default: path.join('test-output', 'fuzz-findings') },
  },
});

async function main(): Promise<void> {
  const targets = (values.targets ?? '').split(',').filter(Boolean) as Target[];
  for (const t of targets) if (!ALL_TARGETS.includes(t)) throw new Error(`unknown target ${t} (one of ${ALL_TARGETS.join(', ')})`);
  const inputs = Number(values.inputs);
  let lastPrint = 0;
  const summary = await runCampaign({
    seed: Number(values.seed),
    inputs,
    start: Number(values.start),
    targets,
    workers: values.workers ? Number(values.workers) : undefined,
    timeoutMs: Number(values['timeout-ms']),
    saveDir: values.save,
    onProgress: (done, total, findings) => {
      const now = Date.now();
      if (now - lastPrint < 5000 && done !== total) return;
      lastPrint = now;
      process.stderr.write(`fuzz: ${done}/${total} inputs, ${findings} findings\n`);
    },
  });
  const { findings, ...rest } = summary;
  console.log(JSON.stringify(rest, null, 2));
  for (const g of groupFindings(findings)) {
    console.log(`\n${g.count} x ${g.signature}\n  first: seed ${g.first.input.seed} index ${g.first.input.index} (${g.first.input.target} ${g.first.input.base}${g.first.input.module ? ` ${g.first.input.module}` : ''})\n  ${g.first.detail.split('\n').slice(0, 6).join('\n  ')}`);
  }
  process.exitCode = findings.length > 0 ? 1 : 0;
}

// Ctrl+C or kill: exit through process.exit so the pool's exit hook kills the children.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
