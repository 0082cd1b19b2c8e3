// Recognises a managed runtime from the modules a dump maps. CoreCLR: libcoreclr.so, whose
// folder is named after the runtime version in a standard install
// (…/shared/Microsoft.NETCore.App/<version>/libcoreclr.so).
import * as path from 'node:path';
import { type RuntimeInfo } from '../../../shared/types';

interface ModuleLike {
  path: string;
  name: string;
  buildId: string | null;
}

const VERSION_DIR = /^\d+\.\d+\.\d+(?:[-.+][0-9A-Za-z.-]+)?$/;

export function detectRuntime(modules: readonly ModuleLike[]): RuntimeInfo | null {
  const clr = modules.find((m) => m.name === 'libcoreclr.so');
  if (!clr) return null;
  const dir = path.posix.basename(path.posix.dirname(clr.path.replace(/ \(deleted\)$/, '')));
  return { kind: 'coreclr', version: VERSION_DIR.test(dir) ? dir : null, path: clr.path, buildId: clr.buildId };
}
