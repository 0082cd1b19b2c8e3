// Module files: sections, compressed debug sections (zlib and zstd, as objcopy writes them),
// build-id and .gnu_debuglink, on binaries compiled here.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ElfImage } from '../../../main/core/elf';
import { compile } from '../../helpers/native';
import { SINGLE_THREAD } from '../../helpers/programs';

function objcopy(src: string, dst: string, args: string[]): boolean {
  const r = spawnSync('objcopy', [...args, src, dst], { encoding: 'utf8' });
  return r.status === 0;
}

describe('ElfImage', () => {
  const exe = compile('single', SINGLE_THREAD, { flags: ['-g', '-O0'] });
  const dir = path.dirname(exe);

  it('reads plain and compressed debug sections to the same bytes', () => {
    const plain = ElfImage.open(exe);
    const want = plain.sectionData('.debug_info');
    expect(want?.length).toBeGreaterThan(100);
    for (const kind of ['zlib', 'zstd']) {
      const out = path.join(dir, `single.${kind}`);
      if (!objcopy(exe, out, [`--compress-debug-sections=${kind}`])) {
        console.warn(`skipped ${kind}: this objcopy cannot write it`);
        continue;
      }
      const img = ElfImage.open(out);
      expect(img.sections.find((s) => s.name === '.debug_info')!.flags & 0x800n).toBe(0x800n);
      expect(img.sectionData('.debug_info')?.equals(want!)).toBe(true);
      img.close();
    }
    plain.close();
  });

  it('gives the build-id readelf prints and the debuglink objcopy adds', () => {
    const img = ElfImage.open(exe);
    const readelf = spawnSync('readelf', ['-n', exe], { encoding: 'utf8' }).stdout;
    expect(readelf).toContain(`Build ID: ${img.buildId}`);
    img.close();
    const debug = path.join(dir, 'single.debug');
    const linked = path.join(dir, 'single.linked');
    expect(objcopy(exe, debug, ['--only-keep-debug'])).toBe(true);
    expect(objcopy(exe, linked, ['--strip-debug', `--add-gnu-debuglink=${debug}`])).toBe(true);
    const l = ElfImage.open(linked);
    expect(l.debugLink?.name).toBe('single.debug');
    expect(l.debugLink?.crc).toBeGreaterThan(0); // checked against the file in test/unit/symbols/debug-files.test.ts
    l.close();
  });
});
