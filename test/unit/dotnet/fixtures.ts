// Loads the real transcripts in test/fixtures/transcripts (see the README there for provenance).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTranscript } from '../../../main/core/dotnet/index';
import { type CommandKind, type ParsedCommand, type ParsedTranscript } from '../../../main/core/dotnet/index';

const DIR = fileURLToPath(new URL('../../fixtures/transcripts/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(DIR + name, 'utf8');
}

export function fixtureLines(name: string): string[] {
  const text = fixture(name);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function parsedFixture(name: string): ParsedTranscript {
  return parseTranscript(fixture(name));
}

/** The n-th parsed command of a kind (0-based), or a test failure. */
export function commandOf<K extends CommandKind>(t: ParsedTranscript, kind: K, n = 0): Extract<ParsedCommand, { kind: K }> {
  const all = t.commands.filter((c): c is Extract<ParsedCommand, { kind: K }> => c.kind === kind);
  const c = all[n];
  if (c === undefined) throw new Error(`no ${kind} #${n} in transcript (kinds: ${t.commands.map((x) => x.kind).join(', ')})`);
  return c;
}

export const FIXTURE_DIR = DIR;
