// The fuzz child: runs inputs sent by the parent (fork IPC), one at a time, and answers how
// each ended. Run in its own process with a heap limit, so a hang or a blow-up is caught by
// the parent (timeout, exit) instead of taking the fuzzer down.
//
// The invariant: every input ends in a result or a typed DumpscopeError (not `Internal`), and
// the CLI's text for a result carries no control or bidi characters.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDump } from '../../main/core/analysis';
import { DumpscopeError } from '../../main/core/errors';
import { DumpIndex } from '../../main/core/index';
import { buildThreadIdentities, parseTranscript } from '../../main/core/dotnet';
import { formatStack } from '../../main/cli/commands-bt';
import { formatLocks } from '../../main/cli/commands-locks';
import { header } from '../../main/cli/commands-threads';
import { coreLayout, moduleLayout, type CoreLayout, type ModuleLayout } from './layout';
import { applyMutations, applyTextMutations, type Mutation, type TextMutation } from './mutations';
import { type FuzzInput } from './inputs';

export interface HarnessPaths {
  core?: string;
  modules?: { name: string; path: string }[];
  transcript?: string;
}

export interface HarnessJob {
  id: number;
  input: FuzzInput;
  paths: HarnessPaths;
}

/**
 * `swallowed`: a result whose notes or warnings quote a JavaScript runtime error (a TypeError or
 * a Buffer range error caught by a catch-all and turned into a note): a bug that degraded the
 * result instead of crashing. `harness-error`: the fuzzer itself failed preparing the input (a bug in the fuzzer, not a finding). */
export type Outcome = 'result' | 'typed' | 'exception' | 'swallowed' | 'not-inert' | 'harness-error';

export interface HarnessReply {
  id: number;
  outcome: Outcome;
  code?: string;
  message?: string;
  stack?: string;
  ms: number;
  /** Peak resident set of this process so far, KiB. */
  maxRssKb: number;
}

// eslint-disable-next-line no-control-regex
const NOT_INERT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

// What V8 and Node say when code reads past a buffer or through undefined: never a message of ours.
const JS_ERROR = /Cannot (?:read|set) propert|is not a function|is not iterable|Invalid (?:array|typed array|string) length|Maximum call stack|Cannot convert|The value of "\w+" is out of range|outside buffer bounds|ERR_OUT_OF_RANGE|ERR_BUFFER_OUT_OF_BOUNDS|Array buffer allocation failed|Unexpected end of JSON/;

const layouts = new Map<string, { bytes: Buffer; layout: CoreLayout | ModuleLayout }>();
function base(file: string, kind: 'core' | 'module'): { bytes: Buffer; layout: CoreLayout | ModuleLayout } {
  let b = layouts.get(file);
  if (!b) {
    const bytes = fs.readFileSync(file);
    b = { bytes, layout: kind === 'core' ? coreLayout(bytes) : moduleLayout(bytes) };
    layouts.set(file, b);
  }
  return b;
}

function place(src: string, dst: string): void {
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

function writeMutated(file: string, kind: 'core' | 'module', mutations: Mutation[], dst: string): void {
  const b = base(file, kind);
  const { bytes, extendBy } = applyMutations(b.bytes, b.layout, mutations);
  fs.writeFileSync(dst, bytes);
  if (extendBy > 0) fs.truncateSync(dst, bytes.length + extendBy); // a sparse hole
}

/** Writes the input's files into `dir`: the core and the module files beside it, one of them mutated. */
function prepareNative(job: HarnessJob, dir: string): string {
  const { input, paths } = job;
  const corePath = path.join(dir, 'core');
  if (input.target === 'core') writeMutated(paths.core as string, 'core', input.mutations as Mutation[], corePath);
  else place(paths.core as string, corePath);
  for (const m of paths.modules ?? []) {
    const dst = path.join(dir, m.name);
    if (input.target === 'module' && m.name === input.module) writeMutated(m.path, 'module', input.mutations as Mutation[], dst);
    else place(m.path, dst);
  }
  return corePath;
}

/** Runs the pipeline on one prepared core: the CLI's text for it (for the inert check) and any JS error a note quotes. */
function runNative(corePath: string, partial: boolean, index: DumpIndex): { text: string; swallowed?: string } {
  const record = analyzeDump(corePath, { allowTruncated: partial });
  const said = [...record.summary.warnings, ...record.moduleSymbols.flatMap((m) => m.notes), ...record.stacks.map((s) => s.stopDetail ?? '')];
  // What the app does next: store it, read it back, print it.
  const id = index.store(record);
  const summary = index.get(id);
  const threads = index.threads(id);
  const stacks = new Map(index.stacks(id).map((s) => [s.tid, s]));
  const text = [header(summary), ...threads.map((t) => formatStack(t, stacks.get(t.tid))), formatLocks(index.locks(id))].join('\n');
  index.remove(id);
  return { text, swallowed: said.find((t) => JS_ERROR.test(t)) };
}

function runTranscript(text: string): { text: string; swallowed?: string } {
  const parsed = parseTranscript(text);
  const ids = buildThreadIdentities(parsed);
  JSON.stringify({ parsed, ids });
  return { text: '' };
}

export function runJob(job: HarnessJob, scratch: string, index: DumpIndex): Omit<HarnessReply, 'id' | 'ms' | 'maxRssKb'> {
  const dir = fs.mkdtempSync(path.join(scratch, `in-${job.input.index}-`));
  let corePath = '';
  let transcript = '';
  try {
    if (job.input.target === 'transcript') transcript = applyTextMutations(fs.readFileSync(job.paths.transcript as string, 'utf8'), job.input.mutations as TextMutation[]);
    else corePath = prepareNative(job, dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { outcome: 'harness-error', message: (e as Error).message, stack: (e as Error).stack };
  }
  try {
    const { text, swallowed } = job.input.target === 'transcript' ? runTranscript(transcript) : runNative(corePath, job.input.partial, index);
    if (swallowed) return { outcome: 'swallowed', message: swallowed.slice(0, 500) };
    const bad = NOT_INERT.exec(text);
    if (bad) return { outcome: 'not-inert', message: `CLI text holds U+${(bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')}: ${JSON.stringify(text.slice(Math.max(0, bad.index - 40), bad.index + 40))}` };
    return { outcome: 'result' };
  } catch (e) {
    // IndexFailed here means the index refused a record the analysis produced: a bug, not bad input.
    if (e instanceof DumpscopeError && e.code !== 'Internal' && e.code !== 'IndexFailed') return { outcome: 'typed', code: e.code, message: e.message.slice(0, 500) };
    const err = e instanceof Error ? e : new Error(String(e));
    return { outcome: 'exception', code: err.name, message: err.message.slice(0, 500), stack: err.stack?.split('\n').slice(0, 12).join('\n') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('the fuzz harness runs as a forked child');
  const scratch = fs.mkdtempSync(path.join(process.env.DUMPSCOPE_FUZZ_SCRATCH ?? '/tmp', 'fuzz-child-'));
  const index = DumpIndex.open(path.join(scratch, 'index.sqlite'));
  const cleanup = () => {
    index.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  process.on('disconnect', () => {
    cleanup();
    process.exit(0);
  });
  process.on('message', (job: HarnessJob) => {
    const started = performance.now();
    const r = runJob(job, scratch, index);
    send({ id: job.id, ...r, ms: Math.round(performance.now() - started), maxRssKb: process.resourceUsage().maxRSS });
  });
  send({ id: -1, outcome: 'result', ms: 0, maxRssKb: process.resourceUsage().maxRSS });
}

// Only as the pool's child: test runners that fork (vitest) give their workers an IPC channel too.
if (process.send && process.env.DUMPSCOPE_FUZZ_CHILD === '1') main();
