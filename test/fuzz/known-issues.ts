// Findings of the fuzzer that are bugs in another owner's area, reported to them and not fixed
// here yet. The short CI run prints them instead of failing; the reproducer tests pin each one
// with `it.fails`, so the day the owner fixes it, that test turns red and this entry goes.
import { type Finding } from './campaign';

export interface KnownIssue {
  id: string;
  owner: string;
  description: string;
  matches(f: Finding): boolean;
}

// Both findings so far (a long blank line costing O(n²) in command-kind.ts's lldb patterns, and
// pstacks trees too deep to serialize) are fixed; their reproducers are plain tests now.
export const KNOWN_ISSUES: KnownIssue[] = [];

export function knownIssueOf(f: Finding): KnownIssue | null {
  return KNOWN_ISSUES.find((k) => k.matches(f)) ?? null;
}
