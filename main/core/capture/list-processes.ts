// The processes a user may want to capture, for the capture dialog: every /proc entry we can
// read, with its name, owner, threads, size and whether it runs .NET. Kernel threads and
// dumpscope itself are left out. Bounded: at most `limit` entries, and each read is bounded.
import { type ListProcessesArgs, type ProcessEntry } from '../../../shared/api';
import { isDumpscopeError } from '../errors';
import { estimateDumpSize } from './disk-space';
import { listPids, readProcess } from './proc';

export const DEFAULT_PROCESS_LIMIT = 2000;

export function listProcesses(args: ListProcessesArgs = {}, procRoot = '/proc'): ProcessEntry[] {
  const filter = args.filter?.trim().toLowerCase() ?? '';
  const limit = args.limit ?? DEFAULT_PROCESS_LIMIT;
  const out: ProcessEntry[] = [];
  for (const pid of listPids(procRoot)) {
    if (out.length >= limit) break;
    if (pid === process.pid) continue;
    let p;
    try {
      p = readProcess(pid, { procRoot });
    } catch (e) {
      if (isDumpscopeError(e)) continue; // exited meanwhile, or hidden
      throw e;
    }
    // kernel threads: no command line and no user memory
    if (p.cmdline === '' && (p.maps === null ? p.vmSizeBytes === null : p.maps.totalBytes === 0)) continue;
    if (p.state === 'Z') continue;
    const isDotnet = p.maps?.coreclrPath != null;
    if (args.dotnetOnly && !isDotnet) continue;
    if (filter) {
      const hay = `${p.pid} ${p.name} ${p.cmdline} ${p.user ?? ''}`.toLowerCase();
      if (!hay.includes(filter)) continue;
    }
    out.push({
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      cmdline: p.cmdline,
      uid: p.uid,
      user: p.user,
      threads: p.threads,
      isDotnet,
      rssBytes: p.rssBytes,
      estimatedDumpBytes: p.maps ? estimateDumpSize(p, 'full', isDotnet).bytes : null,
      accessible: p.mapsError === null,
    });
  }
  return out;
}
