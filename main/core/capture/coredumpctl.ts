// Cores kept by systemd-coredump, from `coredumpctl list --json=short`. Its columns (systemd's
// coredumpctl.c: table_new("time", "pid", "uid", "gid", "sig", "corefile", "exe", "size")) have
// changed type across versions (signal as number or name, time as µs or text), so every field
// is read defensively and anything unexpected becomes null. The list has no file name: we find
// the stored core in /var/lib/systemd/coredump by systemd's naming
// (core.<comm>.<uid>.<boot id>.<pid>.<µs>[.zst|.xz|.lz4]).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CoredumpEntry, type CoredumpListing } from '../../../shared/api';
import { signalName } from '../elf';
import { findExecutable, runTool, ToolError } from './run-tool';

export const COREDUMP_DIR = '/var/lib/systemd/coredump';
const MAX_ENTRIES = 10_000;
const MAX_DIR_ENTRIES = 100_000;

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, 4096) : null;
}

const SIGNAL_NUMBERS: Record<string, number> = {};
for (let n = 1; n <= 31; n++) {
  const name = signalName(n);
  if (name) SIGNAL_NUMBERS[name] = n;
}

function signalOf(v: unknown): { signal: number | null; signalName: string | null } {
  const n = num(v);
  if (n !== null) return n === 0 ? { signal: null, signalName: null } : { signal: n, signalName: signalName(n) };
  const s = str(v);
  if (!s) return { signal: null, signalName: null };
  const name = s.startsWith('SIG') ? s : `SIG${s}`;
  return { signal: SIGNAL_NUMBERS[name] ?? null, signalName: name };
}

function timeOf(v: unknown): string | null {
  const n = num(v);
  if (n !== null) {
    // µs since the epoch (systemd's usec_t); seconds or ms would be far smaller
    const ms = n > 1e14 ? n / 1000 : n > 1e11 ? n : n * 1000;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  const s = str(v);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

/** Parses coredumpctl's JSON list. Never throws: anything that is not a list gives []. */
export function parseCoredumpList(text: string): CoredumpEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(doc)) return [];
  const out: CoredumpEntry[] = [];
  for (const item of doc.slice(0, MAX_ENTRIES)) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const r = item as Record<string, unknown>;
    const size = num(r.size);
    out.push({
      time: timeOf(r.time),
      pid: num(r.pid),
      uid: num(r.uid),
      gid: num(r.gid),
      ...signalOf(r.sig),
      corefile: str(r.corefile),
      exe: str(r.exe),
      // systemd prints UINT64_MAX (or null) when the size is unknown
      size: size !== null && size < Number.MAX_SAFE_INTEGER ? size : null,
      path: null,
    });
  }
  return out;
}

interface StoredCore {
  file: string;
  uid: number;
  pid: number;
  usec: number;
}

/** Parses systemd-coredump's file name: core.<comm>.<uid>.<boot id>.<pid>.<µs>[.<ext>]. */
export function parseStoredCoreName(name: string): Omit<StoredCore, 'file'> | null {
  const m = /^core\..+\.(\d+)\.[0-9a-f]{32}\.(\d+)\.(\d+)(?:\.(?:zst|xz|lz4))?$/.exec(name);
  return m ? { uid: Number(m[1]), pid: Number(m[2]), usec: Number(m[3]) } : null;
}

/** Fills `path` of entries whose stored core is in `dir` (matched by pid and uid, nearest time). */
export function attachStoredPaths(entries: CoredumpEntry[], dir = COREDUMP_DIR): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).slice(0, MAX_DIR_ENTRIES);
  } catch {
    return;
  }
  const stored: StoredCore[] = [];
  for (const name of names) {
    const p = parseStoredCoreName(name);
    if (p) stored.push({ ...p, file: path.join(dir, name) });
  }
  for (const e of entries) {
    const candidates = stored.filter((s) => s.pid === e.pid && (e.uid === null || s.uid === e.uid));
    if (candidates.length === 0) continue;
    const t = e.time ? Date.parse(e.time) * 1000 : null;
    candidates.sort((a, b) => (t === null ? 0 : Math.abs(a.usec - t) - Math.abs(b.usec - t)));
    e.path = candidates[0].file;
  }
}

export async function listCoredumps(opts: { env?: NodeJS.ProcessEnv; dir?: string; signal?: AbortSignal } = {}): Promise<CoredumpListing> {
  const command = findExecutable('coredumpctl', [], opts.env ?? process.env);
  if (!command) {
    return {
      available: false,
      entries: [],
      message: 'coredumpctl is not installed (it comes with systemd-coredump: apt-get install systemd-coredump)',
    };
  }
  let stdout: string;
  try {
    // exit code 1 with "No coredumps found." is an empty list, not a failure
    const r = await runTool({
      tool: 'coredumpctl',
      command,
      args: ['list', '--json=short', '--no-pager', '--quiet'],
      timeoutMs: 60_000,
      okExitCodes: [0, 1],
      signal: opts.signal,
    });
    stdout = r.stdout;
  } catch (e) {
    if (e instanceof ToolError) return { available: true, entries: [], message: `coredumpctl failed: ${e.lastLine || e.message}` };
    throw e;
  }
  const entries = parseCoredumpList(stdout.trim() === '' ? '[]' : stdout);
  attachStoredPaths(entries, opts.dir);
  const parsedNothing = entries.length === 0 && stdout.trim() !== '' && stdout.trim() !== '[]';
  return {
    available: true,
    entries,
    message: parsedNothing ? 'coredumpctl printed something that is not a JSON list of cores; nothing listed' : entries.length === 0 ? 'no cores recorded' : null,
  };
}
