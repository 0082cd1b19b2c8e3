// The bundled sample dump (resources/sample, made by scripts/make-sample.mjs): a static
// two-thread lock-order deadlock, so a newcomer sees every view on first start. It ships
// gzipped; openSample unpacks it once into the data folder, the executable beside the core so
// symbols are found by build-id in the dump's folder.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { DumpscopeError } from '../core/errors';

export const SAMPLE_CORE_GZ = 'deadlock.core.gz';
export const SAMPLE_EXE_GZ = 'deadlock.gz';
const MAX_UNPACKED = 256 * 1024 * 1024;

/**
 * Finds resources/sample by walking up from this module (src, dist/cli.mjs or dist/app/main.mjs),
 * then in Electron's resources folder when packaged.
 */
export function findSampleDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', 'sample');
    if (fs.existsSync(path.join(candidate, SAMPLE_CORE_GZ))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged) {
    for (const p of [path.join(packaged, 'sample'), path.join(packaged, 'resources', 'sample')]) {
      if (fs.existsSync(path.join(p, SAMPLE_CORE_GZ))) return p;
    }
  }
  return null;
}

/** Unpacks the sample into `dataDir/sample-<hash>/` once; returns the core's path. */
export function unpackSample(sampleDir: string | null, dataDir: string): string {
  const gz = sampleDir ? path.join(sampleDir, SAMPLE_CORE_GZ) : null;
  if (!gz || !fs.existsSync(gz)) {
    throw new DumpscopeError('FileNotFound', 'the sample dump is not bundled with this build (resources/sample/deadlock.core.gz is missing)', {
      where: 'sample',
    });
  }
  const coreGz = fs.readFileSync(gz);
  // Named by content, so a newer sample never collides with an older unpacked one.
  const target = path.join(dataDir, `sample-${createHash('sha256').update(coreGz).digest('hex').slice(0, 12)}`);
  const core = path.join(target, 'deadlock.core');
  if (fs.existsSync(core)) return core;
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dataDir, '.sample-'));
  try {
    fs.writeFileSync(path.join(tmp, 'deadlock.core'), zlib.gunzipSync(coreGz, { maxOutputLength: MAX_UNPACKED }));
    const exeGz = path.join(sampleDir as string, SAMPLE_EXE_GZ);
    if (fs.existsSync(exeGz)) {
      fs.writeFileSync(path.join(tmp, 'deadlock'), zlib.gunzipSync(fs.readFileSync(exeGz), { maxOutputLength: MAX_UNPACKED }), { mode: 0o755 });
    }
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      // Another process unpacked it first: use theirs.
      if (!fs.existsSync(core)) throw e;
    }
  } catch (e) {
    if (e instanceof DumpscopeError) throw e;
    throw new DumpscopeError('ReadFailed', `cannot unpack the sample dump into ${dataDir}: ${(e as Error).message}`, { file: gz });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return core;
}
