// dotnet-dump cannot be installed here (no .NET SDK, no network), so its runner is tested against
// a stand-in executable that replays a REAL recorded dotnet-dump session — the article's
// (test/fixtures/transcripts/article-dotnet-dump-session.txt) — command by command. The stand-in
// follows what dotnet-dump's own source does (dotnet/diagnostics src/Tools/dotnet-dump/Analyzer.cs
// and src/Microsoft.Diagnostics.Repl/ConsoleService.cs): "Loading core dump: <path> ..." first;
// `-c` commands run in order and `exit` ends the run; otherwise the "Ready to process…" banner,
// and with redirected input no prompt but an "<END_COMMAND_OUTPUT>" line once ready and after
// every command ("<END_COMMAND_ERROR>" when one fails). What the stand-in does for a command the
// recording lacks is its own choice (nothing in batch, an error marker in a session), and one
// command, `hang`, never answers: it stands for a debugger stuck in a command, to test timeouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DumpscopeService } from '../../../main/api';
import { EngineError } from '../../../main/core/engines';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { runCli, tempIndex } from '../../helpers/cli';
import { SINGLE_THREAD } from '../../helpers/programs';
import { type DumpSummary } from '../../../shared/types';

const RECORDING = path.resolve(__dirname, '..', '..', 'fixtures', 'transcripts', 'article-dotnet-dump-session.txt');

const FAKE = String.raw`#!/usr/bin/env node
// Stand-in for dotnet-dump: replays a recorded session (see dotnet-dump-fake.test.ts).
const fs = require('fs');
const text = fs.readFileSync(process.env.FAKE_DOTNET_DUMP_RECORDING, 'utf8');
const blocks = new Map();
let current = null;
for (const line of text.split('\n')) {
  const m = /^> (\S.*)$/.exec(line);
  if (m) { current = []; blocks.set(m[1].trim(), current); continue; }
  if (current) current.push(line);
}
const out = (s) => process.stdout.write(s);
const args = process.argv.slice(2);
if (args[0] !== 'analyze' || !args[1]) { process.stderr.write('Required argument missing for command: analyze\n'); process.exit(1); }
out('Loading core dump: ' + args[1] + ' ...\n');
const commands = [];
for (let i = 2; i < args.length; i++) if (args[i] === '-c' || args[i] === '--command') commands.push(args[++i]);
const run = (c) => {
  const lines = blocks.get(c);
  if (lines) { out(lines.join('\n').replace(/\n*$/, '\n')); return true; }
  return false;
};
for (const c of commands) {
  if (c === 'exit' || c === 'quit' || c === 'q') process.exit(0);
  run(c);
}
out("Ready to process analysis commands. Type 'help' to list available commands or 'help [command]' to get detailed help on a command.\n");
out("Type 'quit' or 'exit' to exit the session.\n");
out('<END_COMMAND_OUTPUT>\n');
let buf = '';
process.stdin.on('data', (d) => {
  buf += d;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const c = buf.slice(0, nl).trim();
    buf = buf.slice(nl + 1);
    if (c === '') continue;
    if (c === 'exit' || c === 'quit' || c === 'q') process.exit(0);
    if (c === 'hang') { setInterval(() => {}, 1000); return; }
    out(run(c) ? '<END_COMMAND_OUTPUT>\n' : '<END_COMMAND_ERROR>\n');
  }
});
`;

describe('dotnet-dump (a stand-in replaying a real recorded session)', () => {
  let dir: string;
  let fake: string;
  let c: Captured;
  let s: DumpscopeService;
  let dump: DumpSummary;
  const index = tempIndex();
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-fake-dotnet-dump-'));
    fake = path.join(dir, 'dotnet-dump');
    fs.writeFileSync(fake, FAKE, { mode: 0o755 });
    process.env.FAKE_DOTNET_DUMP_RECORDING = RECORDING;
    // Any core will do: the stand-in does not read it.
    c = await captureCore(compile('single-fake-dd', SINGLE_THREAD));
    s = new DumpscopeService({ indexPath: index, sampleDir: null, enginePaths: { 'dotnet-dump': fake } });
    dump = await s.openDump({ path: c.core });
  });
  afterAll(async () => {
    await s?.close();
    c?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is found at its configured path', async () => {
    const st = await s.listEngines({});
    expect(st.find((e) => e.engine === 'dotnet-dump')).toMatchObject({ available: true, path: fake });
  });

  it('runs in batch (-c clrthreads -c pstacks -c "clrstack -all" -c syncblk -c exit) and parses the output by its shape', async () => {
    const r = await s.runEngineBatch({ dumpId: dump.id, engine: 'dotnet-dump' });
    expect(r.transcript).toMatchObject({ source: 'dotnet-dump', mode: 'batch', host: 'dotnet-dump', name: 'dotnet-dump: clrthreads, pstacks, clrstack -all, syncblk' });
    const text = (await s.getTranscript({ transcriptId: r.transcript.id })).text;
    expect(text.split('\n')[0]).toBe(`Loading core dump: ${c.core} ...`);
    // No prompts in batch output: blocks are cut where a known output starts.
    expect(r.transcript.commands.map((x) => [x.command, x.kind, x.host])).toEqual([
      [null, 'unknown', 'dotnet-dump'],
      [null, 'clrthreads', 'dotnet-dump'],
      [null, 'pstacks', 'dotnet-dump'],
    ]);
    // dotnet-dump's DBG is its own index: with this (other) dump, SOS's rows are kept apart and said to be.
    const c79 = r.threads.threads.find((t) => t.osid === 'c79')!;
    expect(c79).toMatchObject({ tid: 3193, dotnetDumpIndex: 15, managedId: 6, gcMode: 'Cooperative', inDump: false, index: null, dbg: null });
    expect(r.threads.warnings).toContain('7 of the 7 threads the transcripts name are not in this dump: the transcripts are probably of another dump');
  });

  it('keeps an interactive session: output cut at <END_COMMAND_OUTPUT>, failures at <END_COMMAND_ERROR>', async () => {
    const r = await s.runEngineCommand({ dumpId: dump.id, engine: 'dotnet-dump', command: 'clrthreads' });
    const recorded = fs.readFileSync(RECORDING, 'utf8');
    const block = recorded.slice(recorded.indexOf('> clrthreads\n') + '> clrthreads\n'.length, recorded.indexOf('> setthread 15'));
    expect(r.output).toBe(block.replace(/\n*$/, '\n'));
    const cs = await s.runEngineCommand({ dumpId: dump.id, engine: 'dotnet-dump', command: 'clrstack' });
    expect(cs.output).toMatch(/^OS Thread Id: 0xc79 \(15\)$/m);
    const t = await s.getTranscript({ transcriptId: r.transcriptId });
    expect(t.commands.filter((x) => x.command !== null).map((x) => [x.command, x.kind])).toEqual([
      ['clrthreads', 'clrthreads'],
      ['clrstack', 'clrstack'],
    ]);
    expect(t.text).not.toMatch(/END_COMMAND/);
  });

  it('times out a command that does not answer, and starts a new session afterwards', async () => {
    const t0 = Date.now();
    const e = await s.runEngineCommand({ dumpId: dump.id, engine: 'dotnet-dump', command: 'hang', timeoutMs: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe('Timeout');
    // The stand-in dies of the interrupt (as dotnet-dump does with redirected input): the session is gone.
    expect((e as EngineError).message).toBe('"hang" did not finish within 300 ms; dotnet-dump did not answer the interrupt and was stopped (start a new session)');
    expect(Date.now() - t0).toBeLessThan(5000);
    const again = await s.runEngineCommand({ dumpId: dump.id, engine: 'dotnet-dump', command: 'pstacks' });
    expect(again.output).toMatch(/^==> 2 threads with 2 roots$/m);
  });

  it('cancels a command through cancelJob', async () => {
    const pending = s.runEngineCommand({ dumpId: dump.id, engine: 'dotnet-dump', command: 'hang', jobId: 'console-1', timeoutMs: 60_000 }).catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 200));
    expect(await s.cancelJob({ jobId: 'console-1' })).toEqual({ cancelled: true });
    const e = (await pending) as EngineError;
    expect(e.code).toBe('Cancelled');
  });

  it('the CLI runs it with --run dotnet-dump when DUMPSCOPE_DOTNET_DUMP points at it', () => {
    const r = runCli(['import', '--dump', c.core, '--run', 'dotnet-dump', '--json'], { index, env: { DUMPSCOPE_DOTNET_DUMP: fake, FAKE_DOTNET_DUMP_RECORDING: RECORDING } });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { transcript: { commands: { kind: string }[] } };
    expect(doc.transcript.commands.map((x) => x.kind)).toEqual(['unknown', 'clrthreads', 'pstacks']);
    const missing = runCli(['import', '--dump', c.core, '--run', 'dotnet-dump'], { index, env: { DUMPSCOPE_DOTNET_DUMP: path.join(dir, 'absent') } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `dumpscope: dotnet-dump is not installed (${path.join(dir, 'absent')} is not an executable file): install it with \`dotnet tool install --global dotnet-dump\` (needs the .NET SDK; it lands in ~/.dotnet/tools), or set DUMPSCOPE_DOTNET_DUMP to its path\n`,
    );
  });
});
