// Files handed to the app by the OS: command-line arguments (Linux, Windows, a second instance)
// and macOS's open-file event. electron-builder associates files by extension only (.core,
// .dmp), but dumps are usually named `core` or `core.<pid>` and arrive by "Open With", a
// terminal or a .desktop file's %U: so any existing regular file is accepted, whatever its name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppCommand } from '../../shared/bridge';

export interface ArgvOptions {
  /** Arguments before the user's: 1 for a packaged app (the executable), 2 for `electron .`. */
  skip: number;
  /** The directory relative paths are relative to (the second instance's working directory). */
  cwd: string;
  isFile?: (file: string) => boolean;
}

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute paths of the files named on a command line; flags, directories and missing paths are skipped. */
export function filesFromArgv(argv: readonly string[], opts: ArgvOptions): string[] {
  const isFile = opts.isFile ?? isRegularFile;
  const out: string[] = [];
  for (const arg of argv.slice(opts.skip)) {
    if (arg === '' || arg.startsWith('-')) continue; // Chromium and Electron switches
    let file: string;
    if (arg.startsWith('file://')) {
      try {
        file = fileURLToPath(arg); // a .desktop file's %U
      } catch {
        continue;
      }
    } else {
      file = path.resolve(opts.cwd, arg);
    }
    if (isFile(file) && !out.includes(file)) out.push(file);
  }
  return out;
}

/** Saved debugger output (lldb/SOS, gdb, dotnet-dump) opens as a transcript, anything else as a dump. */
export function commandForFile(file: string): AppCommand {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.txt' || ext === '.log') return { command: 'importTranscript', path: file };
  return { command: 'openDump', path: file };
}
