// Deciding what a command block is: from the command word when a prompt shows it, else from
// the shape of its output. Pure functions.

import { type CommandKind, type DebuggerHost } from './types';

/** The command word(s) without WinDbg's "!", lldb's "sos " prefix or WinDbg's "~*e ". */
function commandWords(command: string): string[] {
  let c = command.trim();
  if (c.startsWith('~*e ')) c = c.slice(4).trim();
  const words = c.split(/\s+/).filter((w) => w !== '');
  if (words.length > 0 && (words[0] === 'sos' || words[0] === 'ext')) words.shift();
  if (words.length > 0 && words[0].startsWith('!')) words[0] = words[0].slice(1);
  if (words.length > 0 && words[0].includes('.') && !words[0].startsWith('.')) {
    // WinDbg "!sos.clrstack"
    const dot = words[0].lastIndexOf('.');
    words[0] = words[0].slice(dot + 1);
  }
  return words.map((w) => w.toLowerCase());
}

const GDB_BT = new Set(['bt', 'backtrace', 'where']);

/** Kind from the command text. Returns 'unknown' when the word means nothing to us; the caller
 * then looks at the output's shape. */
export function kindOfCommand(host: DebuggerHost, command: string): CommandKind {
  const w = commandWords(command);
  if (w.length === 0) return 'unknown';
  const [first, second, third] = w;
  switch (first) {
    case 'clrthreads':
      return 'clrthreads';
    case 'threads':
      // dotnet-dump's own `threads` lists OS threads; SOS's `!threads` (WinDbg) is clrthreads.
      if (host === 'dotnet-dump') return 'dotnet-dump-threads';
      if (host === 'windbg') return 'clrthreads';
      return 'unknown';
    case 'pstacks':
    case 'parallelstacks':
      return 'pstacks';
    case 'clrstack':
      return 'clrstack';
    case 'syncblk':
      return 'syncblk';
    case 'setthread':
      return 'setthread';
    case 'name2ee':
      return 'name2ee';
    case 'dumpmt':
      return 'dumpmt';
    default:
      break;
  }
  if (host === 'lldb' || host === 'unknown') {
    if (first === 'thread' && second === 'list') return 'lldb-thread-list';
    if (first === 'thread' && (second === 'backtrace' || second === 'bt')) return 'lldb-backtrace';
    if (first === 'thread' && second === 'select') return 'lldb-thread-select';
    if (first === 'frame' && second === 'select') return 'lldb-thread-select';
    if (host === 'lldb' && first === 'bt') return 'lldb-backtrace';
  }
  if (host === 'gdb' || host === 'unknown') {
    if ((first === 'info' || first === 'i') && second !== undefined && 'threads'.startsWith(second) && second.length >= 3) return 'gdb-info-threads';
    if (host === 'gdb' && GDB_BT.has(first)) return 'gdb-backtrace';
    if ((first === 'thread' || first === 't') && (second === 'apply' || second === 'a') && third !== undefined) {
      const rest = w.slice(3);
      if (rest.some((x) => GDB_BT.has(x))) return 'gdb-backtrace';
    }
    if (host === 'gdb' && (first === 'thread' || first === 't') && second !== undefined && /^\d+$/.test(second)) return 'gdb-backtrace';
  }
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Shapes

const RE_GDB_INFO_HEADER = /^\s*Id\s+Target Id\s+Frame\s*$/;
const RE_GDB_THREAD_HEADER = /^Thread \d+ \(.*\):$/;
const RE_GDB_FRAME = /^#\d+\s+\S/;
const RE_LLDB_PROCESS = /^Process \d+ (?:stopped|exited|running)/;
// `(?:\*\s*)?` rather than `\*?\s*`: two adjacent \s* around an optional star can split a run of
// spaces in n ways, and a long blank line then costs O(n²) to reject.
const RE_LLDB_LIST_ENTRY = /^\s*(?:\*\s*)?thread #\d+: tid = /;
const RE_LLDB_BT_HEADER = /^\s*(?:\*\s*)?thread #\d+(?:, |$)/;
const RE_LLDB_FRAME = /^\s*(?:\*\s*)?frame #\d+: 0x[0-9a-fA-F]+/;
const RE_CLRTHREADS_SUMMARY = /^\s*ThreadCount:\s+\d+/;
const RE_CLRTHREADS_HEADER = /^\s*(?:DBG\s+)?ID\s+OSID\s+ThreadOBJ\s+State/;
const RE_PSTACKS_RULE = /^\s*_{20,}\s*$/;
const RE_PSTACKS_TIDS = /^\s*~~~~ /;
const RE_PSTACKS_SUMMARY = /^==> \d+ threads? with \d+ roots?/;
const RE_CLRSTACK_OS = /^OS Thread Id: 0x[0-9a-fA-F]+/;
const RE_CLRSTACK_HEADER = /^\s*Child SP\s+IP\s+Call Site\s*$/;
const RE_SYNCBLK_HEADER = /^\s*Index\s+SyncBlock\s+MonitorHeld\s+Recursion/;
export const RE_DOTNET_DUMP_THREAD = /^\s*(?:(\*)\s*)?(\d+) 0x([0-9a-fA-F]+) \((\d+)\)\s*$/;
const RE_NAME2EE_MODULE = /^Module:\s+[0-9a-fA-F]/;
const RE_DUMPMT_EECLASS = /^EEClass:\s+[0-9a-fA-F]/;
const RE_DUMPMT_TABLE = /^MethodDesc Table\s*$/;

/** If this line starts a recognisable command output, its kind. `next` is the following line. */
export function shapeStart(line: string, next: string | undefined, current: CommandKind): CommandKind | null {
  if (RE_GDB_INFO_HEADER.test(line)) return 'gdb-info-threads';
  if (RE_GDB_THREAD_HEADER.test(line)) return current === 'gdb-backtrace' ? null : 'gdb-backtrace';
  if (RE_GDB_FRAME.test(line)) return current === 'gdb-backtrace' ? null : 'gdb-backtrace';
  if (RE_LLDB_PROCESS.test(line)) {
    if (next !== undefined && RE_LLDB_LIST_ENTRY.test(next)) return 'lldb-thread-list';
    return current === 'lldb-backtrace' ? null : 'lldb-backtrace';
  }
  if (RE_LLDB_LIST_ENTRY.test(line)) return current === 'lldb-thread-list' ? null : 'lldb-thread-list';
  if (RE_LLDB_BT_HEADER.test(line)) return current === 'lldb-backtrace' ? null : 'lldb-backtrace';
  if (RE_LLDB_FRAME.test(line)) return current === 'lldb-backtrace' || current === 'lldb-thread-select' ? null : 'lldb-backtrace';
  if (RE_CLRTHREADS_SUMMARY.test(line)) return 'clrthreads';
  if (RE_CLRTHREADS_HEADER.test(line)) return current === 'clrthreads' ? null : 'clrthreads';
  if (RE_PSTACKS_RULE.test(line) || RE_PSTACKS_TIDS.test(line) || RE_PSTACKS_SUMMARY.test(line)) return current === 'pstacks' ? null : 'pstacks';
  if (RE_CLRSTACK_OS.test(line) || RE_CLRSTACK_HEADER.test(line)) return current === 'clrstack' ? null : 'clrstack';
  if (RE_SYNCBLK_HEADER.test(line)) return 'syncblk';
  if (RE_DOTNET_DUMP_THREAD.test(line)) return current === 'dotnet-dump-threads' ? null : 'dotnet-dump-threads';
  if (RE_NAME2EE_MODULE.test(line)) return current === 'name2ee' || current === 'dumpmt' ? null : 'name2ee';
  if (RE_DUMPMT_EECLASS.test(line)) return current === 'name2ee' || current === 'dumpmt' ? null : 'dumpmt';
  if (RE_DUMPMT_TABLE.test(line)) return current === 'dumpmt' ? null : 'dumpmt';
  return null;
}

/** Kind of a whole block of output by its shape (first recognisable start wins). Bounded: looks
 * at most at the first `maxLines` lines. */
export function kindOfShape(lines: readonly string[], maxLines = 2000): CommandKind {
  const n = Math.min(lines.length, maxLines);
  let dumpThreadLines = 0;
  let nonEmpty = 0;
  let nameToEe = false;
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    if (line.trim() !== '') nonEmpty++;
    if (RE_DOTNET_DUMP_THREAD.test(line)) {
      dumpThreadLines++;
      continue;
    }
    if (/^(?:Not JITTED yet|JITTED Code Address:)/.test(line)) nameToEe = true;
    const k = shapeStart(line, lines[i + 1], 'unknown');
    // name2ee prints "Module:" first; dumpmt prints "EEClass:" first.
    if (k !== null && k !== 'dotnet-dump-threads') return k;
  }
  if (nameToEe) return 'name2ee';
  if (dumpThreadLines > 0 && dumpThreadLines === nonEmpty) return 'dotnet-dump-threads';
  return 'unknown';
}

/** The host a kind implies, when the kind belongs to one debugger. */
export function hostOfKind(kind: CommandKind): DebuggerHost | null {
  switch (kind) {
    case 'lldb-thread-list':
    case 'lldb-backtrace':
    case 'lldb-thread-select':
      return 'lldb';
    case 'gdb-info-threads':
    case 'gdb-backtrace':
      return 'gdb';
    case 'dotnet-dump-threads':
      return 'dotnet-dump';
    case 'clrthreads':
    case 'pstacks':
    case 'clrstack':
    case 'syncblk':
    case 'setthread':
    case 'name2ee':
    case 'dumpmt':
    case 'unknown':
      return null;
    default:
      return assertNever(kind);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}

/** Known SOS / dotnet-dump command words: a "> word" line is a dotnet-dump prompt only when the
 * word is a command (a quoted "> " in pasted text is not). */
const DOTNET_DUMP_WORDS = new Set([
  'clrthreads', 'threads', 'pstacks', 'parallelstacks', 'clrstack', 'syncblk', 'setthread', 'name2ee', 'dumpmt',
  'dumpheap', 'dumpobj', 'do', 'dumpasync', 'dumpdomain', 'dumpmodule', 'dumpclass', 'dumpmd', 'dumpil', 'dumpstackobjects',
  'dso', 'eeheap', 'finalizequeue', 'gcroot', 'gcwhere', 'ip2md', 'pe', 'printexception', 'help', 'soshelp', 'exit', 'quit',
  'lm', 'modules', 'sos', 'setsymbolserver', 'loadsymbols', 'timerinfo', 'threadpool', 'clrmodules', 'dumpgen', 'gcheapstat',
  'runtimes', 'sosstatus', 'dumplog', 'bpmd', 'u', 'dumpexceptions', 'dumpconcurrentdictionary', 'dumpconcurrentqueue',
  'registers', 'r', 'threadstate', 'analyzeoom', 'verifyheap', 'objsize', 'histinit', 'logging', 'maddress', 'crashinfo',
  'parallelstack', 'traverseheap', 'dumpruntimetypes', 'dumpsig', 'dumpvc', 'eeversion', 'ehinfo', 'findappdomain',
  'gchandles', 'gcinfo', 'syncblock', 'taskstate', 'ts',
]);

export function isDotnetDumpCommandWord(command: string): boolean {
  const w = commandWords(command);
  return w.length > 0 && DOTNET_DUMP_WORDS.has(w[0]);
}
