// One fuzz input = a base, a target and a mutation list, drawn deterministically from
// (seed, index). Findings are saved in this shape and replayed by the reproducer tests.
import * as fs from 'node:fs';
import { type CoreBase, type TranscriptBase } from './bases';
import { mutateCore, mutateModule, mutateTranscript, type Mutation, type TextMutation } from './mutations';
import { Prng } from './prng';

export type Target = 'core' | 'module' | 'transcript';

export interface FuzzInput {
  seed: number;
  index: number;
  target: Target;
  /** A core base name (`core-O0`) or a transcript file name. */
  base: string;
  /** For `module`: the module file mutated (`fuzz-target`, `libc.so.6`). */
  module?: string;
  /** Open with allowTruncated (the CLI's --partial). */
  partial: boolean;
  mutations: Mutation[] | TextMutation[];
}

export interface Bases {
  cores: CoreBase[];
  transcripts: TranscriptBase[];
}

export const ALL_TARGETS: readonly Target[] = ['core', 'module', 'transcript'];

const textCache = new Map<string, string>();
function transcriptText(t: TranscriptBase): string {
  let s = textCache.get(t.path);
  if (s === undefined) textCache.set(t.path, (s = fs.readFileSync(t.path, 'utf8')));
  return s;
}

export function makeInput(seed: number, index: number, bases: Bases, targets: readonly Target[] = ALL_TARGETS): FuzzInput {
  const rng = Prng.forInput(seed, index);
  // cores half the time: they drive the whole pipeline; module tables and transcripts share the rest
  const weighted = targets.flatMap((t) => (t === 'core' ? [t, t, t, t, t] : t === 'module' ? [t, t, t] : [t, t]));
  const target = bases.cores.length === 0 ? 'transcript' : rng.pick(weighted);
  const partial = rng.chance(0.5);
  if (target === 'transcript') {
    const t = rng.pick(bases.transcripts);
    return { seed, index, target, base: t.name, partial, mutations: mutateTranscript(rng, transcriptText(t)) };
  }
  const core = rng.pick(bases.cores);
  if (target === 'core') return { seed, index, target, base: core.name, partial, mutations: mutateCore(rng, core.layout) };
  const mod = rng.pick(core.modules);
  // unwind tables most of the time: they are what the unwinder trusts
  const focus = rng.chance(0.5) ? ['.eh_frame', '.eh_frame_hdr', '.debug_frame'] : undefined;
  return { seed, index, target, base: core.name, module: mod.name, partial, mutations: mutateModule(rng, mod.layout, focus) };
}
