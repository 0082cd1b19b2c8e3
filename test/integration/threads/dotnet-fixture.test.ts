// The real .NET Core core in ../shared/fixtures (createdump's triage dump of a .NET Core 2.0
// preview process): 7 threads and libcoreclr.so with a known build-id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli, SHARED_FIXTURES, tempIndex } from '../../helpers/cli';

const FIXTURE = path.join(SHARED_FIXTURES, 'dotnet', 'triagedump.gz');
const present = fs.existsSync(FIXTURE);
if (!present) console.warn(`skipping the .NET fixture tests: ${FIXTURE} is absent`);

describe.skipIf(!present)('shared fixture dotnet/triagedump.gz', () => {
  let dir: string;
  let core: string;
  const index = tempIndex();
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-triage-'));
    core = path.join(dir, 'triagedump');
    fs.writeFileSync(core, gunzipSync(fs.readFileSync(FIXTURE)));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has 7 threads with their identities', () => {
    const r = runCli(['threads', core, '--json'], { index });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      dump: { process: string; pid: number; signalName: string; runtime: { kind: string; version: string } | null };
      threads: { index: number; dbg: number; tid: number; osid: string }[];
    };
    expect(doc.threads).toHaveLength(7);
    expect(doc.dump.process).toBe('dotnet');
    expect(doc.dump.signalName).toBe('SIGABRT');
    expect(doc.threads[0]).toMatchObject({ index: 1, dbg: 0, tid: doc.dump.pid });
    for (const t of doc.threads) expect(t.osid).toBe(t.tid.toString(16));
    expect(doc.dump.runtime).toEqual({ kind: 'coreclr', version: '2.0.0-preview3-25510-01' });
  });

  it('has libcoreclr.so with the build-id its origin states, read from the dump', () => {
    const r = runCli(['modules', core, '--json'], { index });
    const doc = JSON.parse(r.stdout) as { modules: { path: string; buildId: string; buildIdSource: string }[] };
    const clr = doc.modules.find((m) => m.path.endsWith('libcoreclr.so'));
    expect(clr).toBeDefined();
    expect(clr!.buildId).toBe('8f39a52a756311ab365090bfe9edef7ee8c44503');
    expect(clr!.buildIdSource).toBe('memory');
  });
});
