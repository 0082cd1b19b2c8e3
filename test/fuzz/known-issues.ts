// Findings of the fuzzer that are bugs in another owner's area, reported to them and not fixed
// here yet. The short CI run prints them instead of failing; the reproducer tests pin each one
// with `it.fails`, so the day the owner fixes it, that test turns red and this entry goes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TRANSCRIPTS_DIR } from './bases';
import { type Finding } from './campaign';
import { applyTextMutations, type TextMutation } from './mutations';

export interface KnownIssue {
  id: string;
  owner: string;
  description: string;
  matches(f: Finding): boolean;
}

function mutatedTranscript(f: Finding): string {
  return applyTextMutations(fs.readFileSync(path.join(TRANSCRIPTS_DIR, f.input.base), 'utf8'), f.input.mutations as TextMutation[]);
}

export const KNOWN_ISSUES: KnownIssue[] = [
  {
    id: 'dotnet-whitespace-line-quadratic',
    owner: 'main/core/dotnet (transcript parsers)',
    description:
      'a long whitespace-only line in output without a prompt costs O(n²): the /^\\s*\\*?\\s*…/ patterns of command-kind.ts backtrack over every split of the run (20 000 spaces: 1 s; 64 KiB, the line clamp: about 10 s)',
    matches: (f) => f.input.target === 'transcript' && f.kind === 'hang' && /^[ \t]{10000,}$/m.test(mutatedTranscript(f)),
  },
  {
    id: 'dotnet-pstacks-deep-nesting',
    owner: 'main/core/dotnet (transcript parsers)',
    description:
      "parsePstacks nests one level per frame: a stack of about 4000 frames (a stack overflow's) gives a result JSON.stringify cannot serialize (RangeError: Maximum call stack size exceeded), which the index, the HTTP API and IPC all do",
    matches: (f) => f.input.target === 'transcript' && f.kind === 'exception' && /Maximum call stack size exceeded/.test(f.detail),
  },
];

export function knownIssueOf(f: Finding): KnownIssue | null {
  return KNOWN_ISSUES.find((k) => k.matches(f)) ?? null;
}
