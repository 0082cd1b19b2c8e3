// Runs the built CLI (dist/cli.mjs through bin/dumpscope.cjs) as a user would.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'dumpscope.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { index?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const full = opts.index ? ['--index', opts.index, ...args] : args;
  const r = spawnSync(process.execPath, [BIN, ...full], {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: opts.timeoutMs ?? 300_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary index file for one test file. */
export function tempIndex(name = 'index'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-index-'));
  return path.join(dir, `${name}.sqlite`);
}

export const SHARED_FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
