// Will the dump fit? Checked before writing, from an estimate of the dump's size and the free
// space of the output folder, with a margin: a full disk mid-dump wastes minutes and can hurt
// the machine whose process we are capturing.
import * as fs from 'node:fs';
import { type DumpType } from '../../../shared/api';
import { DumpscopeError } from '../errors';
import { formatBytes } from './decompress';
import { type ProcessDetails } from './proc';

/** Per-thread note data (registers, FP state, siginfo) plus headers: generous on purpose. */
const PER_THREAD_BYTES = 16 * 1024;
const FIXED_OVERHEAD = 4 * 1024 * 1024;
/** Space left free besides the estimate: 5% of it plus 64 MiB. */
export const MARGIN_RATIO = 0.05;
export const MARGIN_FIXED = 64 * 1024 * 1024;

export interface DumpEstimate {
  bytes: number;
  /** What the estimate rests on, for messages. */
  basis: string;
}

/**
 * About how many bytes a dump of `p` takes. `allMappings` for `gcore -a` (file-backed mappings
 * too). Full dumps are measured on the memory map (gcore writes reserved memory as well, so RSS
 * would be far too low); heap dumps on resident anonymous memory; mini and triage dumps hold
 * stacks and a little more, bounded here by RSS.
 */
export function estimateDumpSize(p: ProcessDetails, type: DumpType, allMappings = false): DumpEstimate {
  const overhead = FIXED_OVERHEAD + PER_THREAD_BYTES * p.threads;
  if (type === 'full') {
    if (p.maps) {
      const bytes = allMappings ? p.maps.allBytes : p.maps.dumpBytes;
      return { bytes: bytes + overhead, basis: `${formatBytes(bytes)} of mapped memory` };
    }
    return { bytes: (p.vmSizeBytes ?? 0) + overhead, basis: `VmSize ${formatBytes(p.vmSizeBytes ?? 0)}` };
  }
  const resident = type === 'heap' ? (p.rssAnonBytes ?? p.rssBytes ?? 0) : Math.min(p.rssBytes ?? 0, 256 * 1024 * 1024);
  return { bytes: resident + overhead, basis: `${formatBytes(resident)} resident` };
}

export interface FreeSpace {
  bavail: number;
  bsize: number;
}

export type StatfsFn = (dir: string) => FreeSpace;

export const realStatfs: StatfsFn = (dir) => fs.statfsSync(dir);

/** Throws NotEnoughSpace when `outDir` cannot hold `estimate` plus the margin. */
export function checkFreeSpace(outDir: string, estimate: DumpEstimate, what: string, statfs: StatfsFn = realStatfs): { freeBytes: number } {
  let free: number;
  try {
    const s = statfs(outDir);
    free = s.bavail * s.bsize;
  } catch {
    // statfs unsupported here: the tool's own ENOSPC will be reported instead
    return { freeBytes: Number.NaN };
  }
  const needed = Math.ceil(estimate.bytes * (1 + MARGIN_RATIO)) + MARGIN_FIXED;
  if (free < needed) {
    throw new DumpscopeError(
      'NotEnoughSpace',
      `not enough space in ${outDir} for ${what}: it needs about ${formatBytes(needed)} (estimated from ${estimate.basis}, with a margin) but only ${formatBytes(free)} is free; choose another folder with -o DIR`,
      { file: outDir },
    );
  }
  return { freeBytes: free };
}
