// dotnet-dump's own `threads` command and `setthread` (which lists the same way without an
// argument). Each line: current marker, dotnet-dump's 0-based index, OS thread id in hex, the
// same id in decimal:
//
// *0 0x1DBFF (121855)
//  1 0x1DC01 (121857)

import { RE_DOTNET_DUMP_THREAD } from './command-kind';
import { decToNumber, hexToNumber, normalizeOsid } from './text';
import { type DotnetDumpThreadEntry, type DotnetDumpThreadsResult, type ParseWarning, type SetThreadResult, type SetThreadTarget } from './types';

function parseListing(lines: readonly string[]): DotnetDumpThreadsResult {
  const threads: DotnetDumpThreadEntry[] = [];
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const m = RE_DOTNET_DUMP_THREAD.exec(line);
    if (!m) {
      unparsed.push(line);
      continue;
    }
    const osid = normalizeOsid(m[3]) ?? m[3].toLowerCase();
    const tid = parseInt(m[4], 10);
    const fromHex = hexToNumber(osid);
    if (fromHex !== tid) warnings.push({ code: 'BadNumber', message: `0x${osid} is ${fromHex}, not ${tid}`, line: i });
    threads.push({ index: parseInt(m[2], 10), current: m[1] === '*', osid, tid, line: i });
  }
  return { threads, warnings, unparsed };
}

/** Parses the output of dotnet-dump's `threads`. */
export function parseDotnetDumpThreads(lines: readonly string[]): DotnetDumpThreadsResult {
  return parseListing(lines);
}

/** Reads `setthread`'s argument ("15", "-t 3193", "--tid 3193", "0x1dc1d") and its output (a
 * listing when there was no argument). */
export function parseSetThread(command: string | null, lines: readonly string[]): SetThreadResult {
  const listing = parseListing(lines);
  const warnings = [...listing.warnings];
  const args = (command ?? '').trim().split(/\s+/).slice(1).filter((a) => a !== '' && a !== '-v' && a !== '--verbose');
  let target: SetThreadTarget = { by: 'none' };
  if (args.length >= 2 && (args[0] === '-t' || args[0] === '--tid')) {
    const v = decToNumber(args[1]) ?? hexToNumber(args[1]);
    if (v !== null) target = { by: 'tid', value: v };
  } else if (args.length >= 1) {
    const a = args[0];
    if (/^0x/i.test(a)) {
      const osid = normalizeOsid(a);
      const v = hexToNumber(a);
      if (osid !== null && v !== null) {
        target = { by: 'hex', value: v, osid };
        warnings.push({ code: 'AmbiguousDbg', message: `setthread ${a}: old dotnet-dump read a hex argument as an OS thread id, newer ones as an index` });
      }
    } else {
      const v = decToNumber(a);
      if (v !== null) target = { by: 'index', value: v };
    }
  }
  return { target, listing: listing.threads, warnings, unparsed: listing.unparsed };
}
