// The dumpscope command. One clear line on stderr and exit 1 for bad input; exit 3 when
// `locks` finds a deadlock or `compare` confirms one; JSON documents on stdout with --json.
import { Command, CommanderError, Option } from 'commander';
import { DumpscopeService } from '../api';
import { isDumpscopeError } from '../core/errors';
import { resolveIndexPath } from '../core/index';
import { makeContext, type CliContext } from './context';
import { inert } from './format';
import { threadsCommand } from './commands-threads';
import { modulesCommand } from './commands-modules';
import { btCommand } from './commands-bt';
import { locksCommand } from './commands-locks';
import { serveCommand } from './commands-serve';
import { searchCommand, type SearchOpts } from './commands-search';
import { captureCommand, type CaptureOptions } from './commands-capture';
import { compareCommand, type CompareOptions } from './commands-compare';
import { reportCommand, type ReportOptions } from './commands-report';
import { importCommand, type ImportOptions } from './commands-import';
import { VERSION } from './version';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Raised by commands to exit with a code after printing their own output. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let service: DumpscopeService | null = null;
  const program = new Command();
  program
    .name('dumpscope')
    .description('Explore Linux core dumps, native and .NET: threads, stacks, locks and deadlocks.')
    .version(VERSION)
    .option('--index <file>', 'the SQLite index to use (default: $DUMPSCOPE_INDEX or the user data folder)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run dumpscope --help for usage)');

  const ctx = (): CliContext => {
    if (!service) {
      const opts = program.opts<{ index?: string }>();
      let last = '';
      service = new DumpscopeService({
        indexPath: resolveIndexPath(opts.index),
        emit: (event, payload) => {
          if (!io.isTTY || event !== 'progress') return;
          const p = payload as { phase: string; done: number; total: number; message: string };
          const line = `${p.phase}: ${p.message}${p.total > 0 ? ` (${p.done}/${p.total})` : ''}`;
          if (line !== last) io.err(`\r\x1b[2K${inert(line).slice(0, 120)}`);
          last = line;
          if (p.phase === 'done') io.err('\r\x1b[2K');
        },
      });
    }
    return makeContext(service, io);
  };

  let code = 0;
  const run = (fn: () => Promise<number>) => async () => {
    code = await fn();
  };

  program
    .command('threads')
    .description('list every thread with its identities (index, DBG, tid, OSID), signal and system call')
    .argument('<dump>', 'core dump file')
    .option('--json', 'print one JSON document')
    .option('--partial', 'open a truncated core and show what it holds')
    .addOption(new Option('--symbols <dir...>', 'symbol folders to search (remembered in the index)').default([]))
    .action((dump: string, opts: { json?: boolean; partial?: boolean; symbols?: string[] }) => run(() => threadsCommand(ctx(), dump, opts))());

  program
    .command('bt')
    .description('symbolized stacks of every thread (or one): module`function + offset, file:line, inline frames')
    .argument('<dump>', 'core dump file')
    .option('--thread <sel>', 'one thread: a tid (3193), 0xOSID (0xc79), #index (#16) or dbg:N (dbg:15)')
    .option('--json', 'print one JSON document')
    .option('--partial', 'open a truncated core and show what it holds')
    .addOption(new Option('--symbols <dir...>', 'symbol folders to search (remembered in the index)').default([]))
    .action((dump: string, opts: { json?: boolean; partial?: boolean; thread?: string; symbols?: string[] }) => run(() => btCommand(ctx(), dump, opts))());

  program
    .command('locks')
    .description('who waits for whom: the wait-for graph, cycles and the verdict (exit code 3 on a deadlock)')
    .argument('<dump>', 'core dump file')
    .option('--json', 'print one JSON document')
    .option('--partial', 'open a truncated core and show what it holds')
    .addOption(new Option('--symbols <dir...>', 'symbol folders to search (remembered in the index)').default([]))
    .action((dump: string, opts: { json?: boolean; partial?: boolean; symbols?: string[] }) => run(() => locksCommand(ctx(), dump, opts))());

  program
    .command('modules')
    .description('list mapped modules with their build-ids, and the file mappings')
    .argument('<dump>', 'core dump file')
    .option('--json', 'print one JSON document (modules, their symbol status, and mappings)')
    .option('--partial', 'open a truncated core and show what it holds')
    .addOption(new Option('--symbols <dir...>', 'symbol folders to search (remembered in the index)').default([]))
    .action((dump: string, opts: { json?: boolean; partial?: boolean; symbols?: string[] }) => run(() => modulesCommand(ctx(), dump, opts))());

  program
    .command('import')
    .description('import saved debugger transcripts (dotnet-dump/SOS, lldb, gdb), alone or with their dump: one identity row per thread and the runtime-aware wait-for graph')
    .argument('[transcripts...]', 'transcript files (a saved session, pasted output, a CI log)')
    .option('--dump <dump>', 'the dump the transcripts were taken from (they are stored with it)')
    .option('--host <host>', 'the debugger that printed bare output: dotnet-dump, lldb, gdb or windbg')
    .option('--run <engine>', 'also run lldb, gdb or dotnet-dump on --dump in batch and import its transcript')
    .option('--json', 'print one JSON document (transcript, threads, locks)')
    .option('--partial', 'open a truncated core and show what it holds')
    .action((files: string[], opts: ImportOptions) => run(() => importCommand(ctx(), files, opts))());

  program
    .command('capture')
    .description('dump a live process (gcore; dotnet-dump or createdump for .NET) and index the dump; or list processes / kept cores')
    .argument('[pid]', 'the process to dump')
    .option('-o, --out <dir>', 'folder for the dump(s) (default: the current folder)')
    .option('--twice', 'take a second dump after --interval, to see which threads are stuck')
    .option('--interval <time>', 'time between the two dumps: 5s (default), 500ms, 2m or seconds')
    .option('--type <type>', 'full (default), or heap, mini, triage (.NET only)')
    .option('--list-processes [filter]', 'list live processes (pid, user, threads, .NET) instead')
    .option('--list-coredumps', 'list the cores systemd-coredump kept (coredumpctl) instead')
    .option('--json', 'print one JSON document')
    .action((pid: string | undefined, opts: CaptureOptions) => run(() => captureCommand(ctx(), pid, opts))());

  program
    .command('search')
    .description('which indexed dumps have a frame, module or transcript containing the text (case-insensitive substring)')
    .argument('<query>', 'text to find, e.g. RequestReJIT or libcoreclr')
    .option('--json', 'print one JSON document')
    .option('--limit <n>', 'at most this many matches in all (default 200)')
    .action((query: string, opts: SearchOpts) => run(() => searchCommand(ctx(), query, opts))());

  program
    .command('compare')
    .description('two dumps of one process side by side: stuck, progressed, new and exited threads, blockers in both, confirmed deadlocks (exit code 3)')
    .argument('<dumpA>', 'the earlier core dump')
    .argument('<dumpB>', 'the later core dump')
    .option('--json', 'print one JSON document')
    .option('--partial', 'open truncated cores and compare what they hold')
    .addOption(new Option('--symbols <dir...>', 'symbol folders to search (remembered in the index)').default([]))
    .action((a: string, b: string, opts: CompareOptions) => run(() => compareCommand(ctx(), a, b, opts))());

  program
    .command('report')
    .description('a report for the bug tracker: self-contained HTML, Markdown for a GitHub issue, or JSON')
    .argument('<dump>', 'core dump file')
    .option('--compare <dumpB>', 'include the comparison with a second dump of the same process')
    .option('--format <format>', 'html, md or json (or from the extension of -o)')
    .option('-o, --out <file>', 'write the report to FILE instead of stdout')
    .option('--partial', 'open a truncated core and report what it holds')
    .addOption(new Option('--symbols <dir...>', 'symbol folders to search (remembered in the index)').default([]))
    .action((dump: string, opts: ReportOptions) => run(() => reportCommand(ctx(), dump, opts))());

  program
    .command('serve')
    .description('browser mode: serve the UI and the API on 127.0.0.1 behind a random token, until Ctrl+C')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--no-open', 'only print the URL; do not open a browser')
    .action((opts: { port?: string; open: boolean }) =>
      run(() => serveCommand({ indexPath: resolveIndexPath(program.opts<{ index?: string }>().index), port: opts.port, open: opts.open }, io))(),
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    code = handleError(e, io);
  } finally {
    const s = service as DumpscopeService | null;
    if (s) await s.close();
  }
  return code;
}

function handleError(e: unknown, io: CliIo): number {
  if (e instanceof ExitCode) return e.code;
  if (e instanceof CommanderError) {
    // help and version exit 0; usage errors were already printed by commander
    return e.exitCode === 0 ? 0 : 1;
  }
  if (isDumpscopeError(e)) {
    io.err(`dumpscope: ${inert(e.message)}\n`);
    return 1;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.err(`dumpscope: internal error: ${inert(msg)} (please report it; set DUMPSCOPE_DEBUG=1 for details)\n`);
  if (process.env.DUMPSCOPE_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
  return 2;
}
