// A fuzz run: inputs [start, start + count) of a seed, through a pool of harness children.
// Any exception that is not a typed DumpscopeError, any text that is not inert, a hang past the
// time bound, a crash, or peak memory growing past the bound is a finding, saved as JSON
// (the input: seed, index, base, mutation list) for the reproducer tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coreBase, transcriptBases, canMakeCores, type CoreBase } from './bases';
import { type HarnessJob, type HarnessPaths } from './harness';
import { makeInput, ALL_TARGETS, type Bases, type FuzzInput, type Target } from './inputs';
import { HarnessPool, type JobResult } from './pool';

export interface CampaignOptions {
  seed: number;
  inputs: number;
  start?: number;
  targets?: readonly Target[];
  workers?: number;
  timeoutMs?: number;
  maxRssGrowthMb?: number;
  heapLimitMb?: number;
  /** Where findings are written (one JSON file each); none when absent. */
  saveDir?: string | null;
  onProgress?: (done: number, total: number, findings: number) => void;
}

export type FindingKind = 'exception' | 'swallowed' | 'not-inert' | 'hang' | 'crash' | 'memory';

export interface Finding {
  kind: FindingKind;
  /** Groups findings of one bug: kind, error and where it was thrown. */
  signature: string;
  detail: string;
  input: FuzzInput;
}

export interface CampaignSummary {
  seed: number;
  inputs: number;
  byTarget: Record<string, number>;
  outcomes: Record<string, number>;
  /** Typed error codes seen, and how often. */
  codes: Record<string, number>;
  findings: Finding[];
  elapsedMs: number;
  slowest: { index: number; ms: number };
  peakRssGrowthMb: number;
  /** Inputs that passed the time bound only on their second try (a busy machine, not a hang). */
  retriedHangs: number;
}

export async function loadBases(targets: readonly Target[]): Promise<Bases> {
  const wantCores = targets.some((t) => t !== 'transcript') && canMakeCores();
  const cores: CoreBase[] = wantCores ? [await coreBase('O0'), await coreBase('O2')] : [];
  return { cores, transcripts: transcriptBases() };
}

export function pathsFor(input: FuzzInput, bases: Bases): HarnessPaths {
  if (input.target === 'transcript') {
    const t = bases.transcripts.find((x) => x.name === input.base);
    if (!t) throw new Error(`no transcript base ${input.base}`);
    return { transcript: t.path };
  }
  const c = bases.cores.find((x) => x.name === input.base);
  if (!c) throw new Error(`no core base ${input.base}`);
  return { core: c.core, modules: c.modules.map((m) => ({ name: m.name, path: m.path })) };
}

function signatureOf(r: JobResult, kind: FindingKind): string {
  if (r.kind !== 'reply') return kind;
  // the first frame of our code in the stack says where; messages carry offsets that vary
  const frame = (r.stack ?? '').split('\n').find((l) => /main\/core|main\/cli|main\/api/.test(l)) ?? '';
  const where = frame.replace(/^\s*at\s+/, '').replace(/\(.*\/(main\/[^:)]+):(\d+):\d+\)/, '($1:$2)');
  return `${kind}: ${r.code ?? ''} ${(r.message ?? '').replace(/0x[0-9a-f]+|\d+/gi, 'N').slice(0, 80)} @ ${where}`;
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignSummary> {
  const targets = opts.targets ?? ALL_TARGETS;
  const bases = await loadBases(targets);
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-fuzz-'));
  const warmInput: FuzzInput | null = bases.cores.length > 0 ? { seed: 0, index: -1, target: 'core', base: bases.cores[0].name, partial: false, mutations: [] } : null;
  const pool = new HarnessPool({
    workers: opts.workers ?? Math.max(1, Math.min(4, os.cpus().length)),
    timeoutMs: opts.timeoutMs ?? 5000,
    maxRssGrowthMb: opts.maxRssGrowthMb ?? 512,
    heapLimitMb: opts.heapLimitMb ?? 1024,
    recycleAfter: 200,
    warmup: warmInput ? { id: -1, input: warmInput, paths: pathsFor(warmInput, bases) } : null,
    scratch,
  });
  const summary: CampaignSummary = {
    seed: opts.seed,
    inputs: 0,
    byTarget: {},
    outcomes: {},
    codes: {},
    findings: [],
    elapsedMs: 0,
    slowest: { index: -1, ms: 0 },
    peakRssGrowthMb: 0,
    retriedHangs: 0,
  };
  const first = opts.start ?? 0;
  const end = first + opts.inputs;
  let next = first;
  let jobId = 0;
  if (opts.saveDir) fs.mkdirSync(opts.saveDir, { recursive: true });
  const lane = async () => {
    while (next < end) {
      const index = next++;
      const input = makeInput(opts.seed, index, bases, targets);
      let r = await pool.run({ id: ++jobId, input, paths: pathsFor(input, bases) } satisfies HarnessJob);
      // A machine busy with other work can push a slow input past the bound once: a hang counts
      // when it happens again in a fresh child.
      if (r.kind === 'hang') {
        const again = await pool.run({ id: ++jobId, input, paths: pathsFor(input, bases) } satisfies HarnessJob);
        if (again.kind === 'reply') {
          summary.retriedHangs++;
          r = again;
        }
      }
      summary.inputs++;
      summary.byTarget[input.target] = (summary.byTarget[input.target] ?? 0) + 1;
      let kind: FindingKind | null = null;
      let detail = '';
      if (r.kind === 'hang') {
        kind = 'hang';
        detail = `no answer within ${r.ms} ms`;
      } else if (r.kind === 'crash') {
        kind = 'crash';
        detail = `the child exited (${r.exit}) after ${r.ms} ms: ${r.stderr}`;
      } else {
        if (r.outcome === 'harness-error') throw new Error(`the fuzzer failed to prepare input ${index}: ${r.message}\n${r.stack ?? ''}`);
        summary.outcomes[r.outcome] = (summary.outcomes[r.outcome] ?? 0) + 1;
        if (r.code && r.outcome === 'typed') summary.codes[r.code] = (summary.codes[r.code] ?? 0) + 1;
        if (r.ms > summary.slowest.ms) summary.slowest = { index, ms: r.ms };
        summary.peakRssGrowthMb = Math.max(summary.peakRssGrowthMb, r.rssGrowthMb);
        if (r.outcome === 'exception' || r.outcome === 'swallowed' || r.outcome === 'not-inert') {
          kind = r.outcome;
          detail = `${r.code ?? ''}: ${r.message ?? ''}\n${r.stack ?? ''}`;
        } else if (r.rssGrowthMb > (opts.maxRssGrowthMb ?? 512)) {
          kind = 'memory';
          detail = `peak RSS grew by ${r.rssGrowthMb} MiB`;
        }
      }
      if (r.kind !== 'reply') summary.outcomes[r.kind] = (summary.outcomes[r.kind] ?? 0) + 1;
      if (kind) {
        const f: Finding = { kind, signature: signatureOf(r, kind), detail, input };
        summary.findings.push(f);
        if (opts.saveDir) fs.writeFileSync(path.join(opts.saveDir, `finding-${opts.seed}-${index}.json`), JSON.stringify(f, null, 2) + '\n');
      }
      opts.onProgress?.(summary.inputs, opts.inputs, summary.findings.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.workers ?? Math.max(1, Math.min(4, os.cpus().length)) }, lane));
  } finally {
    await pool.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** Findings grouped by signature: how many of each, and the first input that showed it. */
export function groupFindings(findings: readonly Finding[]): { signature: string; count: number; first: Finding }[] {
  const m = new Map<string, { signature: string; count: number; first: Finding }>();
  for (const f of findings) {
    const g = m.get(f.signature);
    if (g) g.count++;
    else m.set(f.signature, { signature: f.signature, count: 1, first: f });
  }
  return [...m.values()].sort((a, b) => b.count - a.count);
}
