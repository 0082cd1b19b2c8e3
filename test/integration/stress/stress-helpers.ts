// Helpers for the index stress tests: the CLI run asynchronously (so several run at once), and
// the invariants an index must keep whatever happened to the processes writing it.
import { spawn } from 'node:child_process';
import { openSqlite } from '../../../main/core/index';
import { BIN, type CliResult } from '../../helpers/cli';

export interface RunningCli {
  pid: number;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

export function startCli(args: string[], opts: { index: string; env?: NodeJS.ProcessEnv }): RunningCli {
  const child = spawn(process.execPath, [BIN, '--index', opts.index, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })));
  return { pid: child.pid ?? -1, done, kill: (signal = 'SIGKILL') => child.kill(signal) };
}

export function runCliAsync(args: string[], opts: { index: string; env?: NodeJS.ProcessEnv }): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return startCli(args, opts).done;
}

export interface IndexCheck {
  integrity: string;
  foreignKeyProblems: number;
  /** Paths of the dumps the index holds. */
  dumps: string[];
  /** Dumps some of whose rows are missing (a half-written dump): must stay empty. */
  incomplete: string[];
}

/** Opens the index as the app would (recovering a WAL left by a killed process) and checks it. */
export function checkIndex(file: string): IndexCheck {
  const db = openSqlite(file);
  try {
    const integrity = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const foreignKeyProblems = db.prepare('PRAGMA foreign_key_check').all().length;
    const rows = db.prepare('SELECT id, path, thread_count, module_count FROM dumps').all() as { id: number; path: string; thread_count: number; module_count: number }[];
    const count = (sql: string, id: number) => (db.prepare(sql).get(id) as { n: number }).n;
    const incomplete = rows
      .filter(
        (r) =>
          count('SELECT count(*) AS n FROM threads WHERE dump_id = ?', r.id) !== r.thread_count ||
          count('SELECT count(*) AS n FROM stacks WHERE dump_id = ?', r.id) !== r.thread_count ||
          count('SELECT count(*) AS n FROM modules WHERE dump_id = ?', r.id) !== r.module_count ||
          count('SELECT count(*) AS n FROM locks WHERE dump_id = ?', r.id) !== 1 ||
          count("SELECT count(*) AS n FROM search_fts WHERE dump_id = ? AND kind = 'module'", r.id) !== r.module_count,
      )
      .map((r) => r.path);
    return { integrity, foreignKeyProblems, dumps: rows.map((r) => r.path), incomplete };
  } finally {
    db.close();
  }
}
