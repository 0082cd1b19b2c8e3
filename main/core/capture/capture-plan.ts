// Which tool takes the dump, in order of preference, with the notes the user should read.
// For .NET the runtime's own tools come first (dotnet-dump, then createdump beside
// libcoreclr.so), full by default as the article recommends; gcore is the fallback for .NET and
// the only tool for native processes. Pure: the caller finds the tools and runs the steps.
import * as os from 'node:os';
import * as path from 'node:path';
import { type CaptureTool, type DumpType } from '../../../shared/api';
import { DumpscopeError } from '../errors';
import { findExecutable } from './run-tool';

export interface ToolPaths {
  gcore: string | null;
  dotnetDump: string | null;
  /** createdump beside libcoreclr.so, for a .NET process. */
  createdump: string | null;
}

export interface CaptureTarget {
  pid: number;
  name: string;
  isDotnet: boolean;
  coreclrPath: string | null;
}

export interface CaptureStep {
  tool: CaptureTool;
  command: string;
  args: string[];
  /** The file the tool writes: `partial`, except for gcore, which appends `.<pid>` to its prefix. */
  writes: string;
  /** gcore -a also writes file-backed mappings: the estimate must count them. */
  allMappings: boolean;
  /** Shown with the dump when this step is the one that worked. */
  notes: string[];
}

/** Finds gcore, dotnet-dump (PATH, then ~/.dotnet/tools) and the runtime's createdump. */
export function findCaptureTools(target: CaptureTarget, env: NodeJS.ProcessEnv = process.env): ToolPaths {
  const home = env.HOME ?? os.homedir();
  const createdumpDir = target.coreclrPath ? path.dirname(target.coreclrPath.replace(/ \(deleted\)$/, '')) : null;
  return {
    gcore: findExecutable('gcore', [], env),
    dotnetDump: target.isDotnet ? findExecutable('dotnet-dump', [], env) ?? findExecutable('dotnet-dump', [path.join(home, '.dotnet', 'tools')], {}) : null,
    createdump: createdumpDir ? findExecutable('createdump', [createdumpDir], {}) : null,
  };
}

const DOTNET_DUMP_TYPE: Record<DumpType, string> = { full: 'Full', heap: 'Heap', mini: 'Mini', triage: 'Triage' };
const CREATEDUMP_FLAG: Record<DumpType, string> = { full: '--full', heap: '--withheap', mini: '--normal', triage: '--triage' };

const GCORE_FALLBACK_NOTE =
  "taken with gcore: a full dump too (every thread, register and byte of memory, file-backed mappings included with gcore -a), but made from outside the .NET runtime: the runtime was not asked to take it, so nothing of its own is added (createdump's DAC-guided memory list and, on recent runtimes, its crash/diagnostic info), and SOS's support for gcore cores is best-effort; prefer dotnet-dump or createdump when they are available";

/**
 * The steps to try in order, writing to `partial`. Throws EngineMissing when no tool can take
 * this kind of dump, and BadRequest for a .NET-only dump type on a native process.
 */
export function planCapture(target: CaptureTarget, type: DumpType, tools: ToolPaths, partial: string): CaptureStep[] {
  const steps: CaptureStep[] = [];
  const head = `pid ${target.pid} (${target.name})`;
  if (!target.isDotnet && type !== 'full') {
    throw new DumpscopeError(
      'BadRequest',
      `${head} is not a .NET process (no libcoreclr.so in its memory map): --type ${type} needs the .NET runtime's dump tools; gcore writes full dumps (use --type full, the default)`,
      { where: `pid ${target.pid}` },
    );
  }
  if (target.isDotnet && tools.dotnetDump) {
    steps.push({
      tool: 'dotnet-dump',
      command: tools.dotnetDump,
      args: ['collect', '-p', String(target.pid), '--type', DOTNET_DUMP_TYPE[type], '-o', partial],
      writes: partial,
      allMappings: true,
      notes: [],
    });
  }
  if (target.isDotnet && tools.createdump) {
    // createdump expands %p, %e, %h, %t in the name; %% is a literal %
    steps.push({
      tool: 'createdump',
      command: tools.createdump,
      args: [String(target.pid), '-f', partial.replace(/%/g, '%%'), CREATEDUMP_FLAG[type]],
      writes: partial,
      allMappings: true,
      notes: [],
    });
  }
  if (type === 'full' && tools.gcore) {
    steps.push({
      tool: 'gcore',
      command: tools.gcore,
      // -a: all mappings; for .NET this keeps the loaded assemblies' images in the dump
      args: target.isDotnet ? ['-a', '-o', partial, String(target.pid)] : ['-o', partial, String(target.pid)],
      writes: `${partial}.${target.pid}`,
      allMappings: target.isDotnet,
      notes: target.isDotnet ? [GCORE_FALLBACK_NOTE] : [],
    });
  }
  if (steps.length > 0) {
    if (target.isDotnet && steps[0].tool !== 'dotnet-dump' && steps[0].tool !== 'createdump') {
      steps[0].notes.push(
        `neither dotnet-dump (dotnet tool install -g dotnet-dump) nor the runtime's createdump${target.coreclrPath ? ` (looked beside ${target.coreclrPath})` : ''} was found`,
      );
    }
    return steps;
  }
  if (target.isDotnet && type !== 'full') {
    throw new DumpscopeError(
      'EngineMissing',
      `cannot take a ${type} dump of ${head}: it needs dotnet-dump (dotnet tool install -g dotnet-dump) or the runtime's createdump${
        target.coreclrPath ? ` (not found beside ${target.coreclrPath})` : ''
      }; --type full can use gcore instead`,
      { where: 'capture' },
    );
  }
  throw new DumpscopeError(
    'EngineMissing',
    target.isDotnet
      ? `cannot capture ${head}: no dump tool found: install gdb for gcore (apt-get install gdb) or dotnet-dump (dotnet tool install -g dotnet-dump); the runtime's createdump was not found${target.coreclrPath ? ` beside ${target.coreclrPath}` : ''}`
      : `cannot capture ${head}: gcore is not installed (it comes with gdb): install it with apt-get install gdb (or your distribution's gdb package)`,
    { where: 'capture' },
  );
}
