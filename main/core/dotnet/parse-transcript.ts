// Splits a transcript and parses every block whose kind we know.

import { assertNever } from './command-kind';
import { parseClrStack } from './parse-clrstack';
import { parseClrThreads } from './parse-clrthreads';
import { parseDotnetDumpThreads, parseSetThread } from './parse-dotnet-dump-threads';
import { parseDumpMt } from './parse-dumpmt';
import { parseGdbBacktrace, parseGdbInfoThreads } from './parse-gdb';
import { parseLldbBacktrace, parseLldbThreadList } from './parse-lldb';
import { parseName2Ee } from './parse-name2ee';
import { parsePstacks } from './parse-pstacks';
import { parseSyncBlk } from './parse-syncblk';
import { type SplitOptions, splitTranscript } from './split-transcript';
import { DEFAULT_LIMITS, clampLine } from './text';
import { type CommandBlock, type ParsedCommand, type ParsedTranscript } from './types';

/** Parses one block according to its kind. */
export function parseBlock(block: CommandBlock): ParsedCommand {
  const lines = block.output.map((l) => clampLine(l, DEFAULT_LIMITS));
  const kind = block.kind;
  switch (kind) {
    case 'clrthreads':
      return { kind, block, result: parseClrThreads(lines) };
    case 'pstacks':
      return { kind, block, result: parsePstacks(lines) };
    case 'clrstack':
      return { kind, block, result: parseClrStack(lines) };
    case 'syncblk':
      return { kind, block, result: parseSyncBlk(lines) };
    case 'setthread':
      return { kind, block, result: parseSetThread(block.command, lines) };
    case 'dotnet-dump-threads':
      return { kind, block, result: parseDotnetDumpThreads(lines) };
    case 'name2ee':
      return { kind, block, result: parseName2Ee(lines) };
    case 'dumpmt':
      return { kind, block, result: parseDumpMt(lines) };
    case 'lldb-thread-list':
      return { kind, block, result: parseLldbThreadList(lines) };
    case 'lldb-backtrace':
      return { kind, block, result: parseLldbBacktrace(lines) };
    case 'lldb-thread-select':
      return { kind, block, result: parseLldbBacktrace(lines) };
    case 'gdb-info-threads':
      return { kind, block, result: parseGdbInfoThreads(lines) };
    case 'gdb-backtrace':
      return { kind, block, result: parseGdbBacktrace(lines) };
    case 'unknown':
      return { kind, block };
    default:
      return assertNever(kind);
  }
}

/** Splits transcript text into command blocks and parses each. Never throws on odd input. */
export function parseTranscript(text: string, options: SplitOptions = {}): ParsedTranscript {
  const t = splitTranscript(text, options);
  return { host: t.host, hosts: t.hosts, commands: t.blocks.map(parseBlock), lineCount: t.lineCount, warnings: t.warnings };
}
