// compareDumps and exportReport through the service, as the UI calls them: the compare view's
// data (both stacks as lines, the divergence index), the Export button's file (name, type,
// content), the older dump taken as A whatever order is asked, a zstd-compressed dump timed by
// the file the user opened, and arguments checked at the door.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DumpscopeService } from '../../../main/api';
import { validateArgs } from '../../../shared/schemas';
import { type DumpSummary } from '../../../shared/types';
import { compile, haveTool, TEST_TMP } from '../../helpers/native';
import { tempIndex } from '../../helpers/cli';
import { DEADLOCK_AND_BUSY } from './programs';
import { twoDumps, type TwoDumps } from './two-dumps';

let two: TwoDumps;
let service: DumpscopeService;
let a: DumpSummary;
let b: DumpSummary;

beforeAll(async () => {
  fs.mkdirSync(TEST_TMP, { recursive: true });
  const index = tempIndex('compare-api');
  two = await twoDumps(compile('deadlock-and-busy', DEADLOCK_AND_BUSY), { index, movingRole: 'busy' });
  two.prog.kill();
  service = new DumpscopeService({ indexPath: index, sampleDir: null });
  a = await service.openDump({ path: two.a });
  b = await service.openDump({ path: two.b });
});
afterAll(async () => {
  await service?.close();
  two?.remove();
});

describe('compareDumps (API)', () => {
  it('gives the compare view each thread with both stacks as lines and where they part', async () => {
    const c = await service.compareDumps({ dumpA: a.id, dumpB: b.id });
    expect(c.dumpA).toMatchObject({ dumpId: a.id, path: two.a, pid: two.prog.pid, capturedAtMs: fs.statSync(two.a).mtimeMs, originalPath: null });
    expect(c.verdict.deadlockConfirmed).toBe(true);
    const busy = c.threads.find((t) => t.tid === two.prog.tids.get('busy'))!;
    expect(busy.status).toBe('progressed');
    expect(busy.a?.index).toBe(busy.b?.index);
    const stacksA = await service.getStacks({ dumpId: a.id, tid: busy.tid });
    expect(busy.framesA).toHaveLength(stacksA[0].frames.length);
    // The divergence index points into framesA / framesB: the first line that differs from the outside in.
    const d = busy.divergence!;
    expect(busy.framesA.slice(d.indexA! + 1)).toEqual(busy.framesB.slice(d.indexB! + 1));
    expect(busy.framesA[d.indexA!]).not.toBe(busy.framesB[d.indexB!]);
  });
});

describe('exportReport (API)', () => {
  it('returns a file for the Export button in each format', async () => {
    const html = await service.exportReport({ dumpId: b.id, compareWith: a.id, format: 'html' });
    expect(html.filename).toBe(`dumpscope-report-deadlock-and-bus-${two.prog.pid}.html`);
    expect(html.mime).toBe('text/html; charset=utf-8');
    expect(html.content.startsWith('<!DOCTYPE html>')).toBe(true);
    const md = await service.exportReport({ dumpId: b.id, format: 'md' });
    expect(md).toMatchObject({ filename: `dumpscope-report-deadlock-and-bus-${two.prog.pid}.md`, mime: 'text/markdown; charset=utf-8' });
    expect(md.content).not.toContain('Comparison with a second dump');
    const json = await service.exportReport({ dumpId: a.id, compareWith: b.id, format: 'json' });
    expect(json.mime).toBe('application/json');
    const doc = JSON.parse(json.content) as { dump: { id: number }; comparison: { dumpA: { dumpId: number }; dumpB: { dumpId: number } } };
    expect(doc.dump.id).toBe(a.id);
    expect([doc.comparison.dumpA.dumpId, doc.comparison.dumpB.dumpId]).toEqual([a.id, b.id]);
  });

  it('takes the older dump as A whichever it is asked about', async () => {
    const json = await service.exportReport({ dumpId: b.id, compareWith: a.id, format: 'json' });
    const doc = JSON.parse(json.content) as { comparison: { dumpA: { dumpId: number }; interval: { ms: number } } };
    expect(doc.comparison.dumpA.dumpId).toBe(a.id);
    expect(doc.comparison.interval.ms).toBeGreaterThan(0);
  });

  it('refuses bad arguments at the door', () => {
    expect(validateArgs('exportReport', { dumpId: a.id, format: 'pdf' })).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
    expect(validateArgs('compareDumps', { dumpA: a.id })).toMatchObject({ ok: false, error: { code: 'BadRequest', message: 'compareDumps: dumpB: Invalid input: expected number, received undefined' } });
    expect(validateArgs('exportReport', { dumpId: a.id, format: 'md', compareWith: b.id })).toMatchObject({ ok: true });
  });

  it('refuses a dump compared with itself', async () => {
    await expect(service.compareDumps({ dumpA: a.id, dumpB: a.id })).rejects.toMatchObject({ code: 'BadRequest', message: `compare: both sides are dump ${a.id}; compare two dumps taken at different times` });
    await expect(service.exportReport({ dumpId: a.id, compareWith: a.id, format: 'md' })).rejects.toMatchObject({ code: 'BadRequest' });
  });

  it('rejects an unknown dump with UnknownDump', async () => {
    await expect(service.compareDumps({ dumpA: a.id, dumpB: 999_999 })).rejects.toMatchObject({ code: 'UnknownDump' });
  });
});

describe('a compressed dump', () => {
  it.skipIf(!haveTool('zstd'))('is timed by the file the user opened, not by its decompressed copy', async () => {
    const zst = path.join(two.dir, 'a.core.zst');
    const r = spawnSync('zstd', ['-q', '-1', '-o', zst, two.a]);
    expect(r.status).toBe(0);
    // An old file: its time, not the copy's, must be the capture time.
    const old = new Date(fs.statSync(two.a).mtimeMs - 60_000);
    fs.utimesSync(zst, old, old);
    const za = await service.openDump({ path: zst });
    expect(za.originalPath).toBe(zst);
    const c = await service.compareDumps({ dumpA: za.id, dumpB: b.id });
    expect(c.dumpA.originalPath).toBe(zst);
    expect(c.dumpA.capturedAtMs).toBe(fs.statSync(zst).mtimeMs);
    expect(c.interval?.text).toBe(`about 1 min ${Math.round((fs.statSync(two.b).mtimeMs - fs.statSync(zst).mtimeMs) / 1000) - 60} s`.replace(/ 0 s$/, ''));
    expect(c.verdict.deadlockConfirmed).toBe(true);
  });
});
