// `npm start` (scripts/start.mjs) run as a child process, as a user would run it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const script = path.join(root, 'scripts', 'start.mjs');
const electronDir = path.join(root, 'node_modules', 'electron');
const binaryInstalled = fs.existsSync(path.join(electronDir, 'path.txt'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-start-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.ELECTRON_OVERRIDE_DIST_PATH;
  return spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', env: { ...base, ...env }, timeout: 60_000 });
}

describe('npm start', () => {
  it.skipIf(binaryInstalled)('says in one line that the Electron binary is missing and exits 1 (no stack trace, no download)', () => {
    const r = run([]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    // node_modules may be a link to another checkout: then the path is absolute.
    const pathTxt = path.relative(root, path.join(fs.realpathSync(electronDir), 'path.txt'));
    const shown = pathTxt.startsWith('..') ? path.join(fs.realpathSync(electronDir), 'path.txt') : pathTxt;
    expect(r.stderr).toBe(
      `dumpscope: the Electron binary is not installed (${shown} is missing); run \`npx dumpscope serve\` for the browser version, ` +
        'or on a machine with internet access run `npx install-electron` (or reinstall electron) and then `npm start`\n',
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a missing ELECTRON_OVERRIDE_DIST_PATH binary', () => {
    const r = run([], { ELECTRON_OVERRIDE_DIST_PATH: path.join(tmp, 'nowhere') });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nowhere.*does not exist \(ELECTRON_OVERRIDE_DIST_PATH\)/);
  });

  it.skipIf(process.platform === 'win32')('launches the binary on the app folder with the user arguments and passes its exit code on', () => {
    const dist = path.join(tmp, 'dist');
    fs.mkdirSync(dist);
    const log = path.join(tmp, 'launched.json');
    const fake = path.join(dist, binaryInstalled ? fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim() : 'electron');
    fs.mkdirSync(path.dirname(fake), { recursive: true });
    fs.writeFileSync(
      fake,
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));\nprocess.exit(7);\n`,
      { mode: 0o755 },
    );
    const r = run(['--no-build', '/dumps/core.3193'], { ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RUN_AS_NODE: '1' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(7);
    expect(JSON.parse(fs.readFileSync(log, 'utf8'))).toEqual({ args: ['.', '/dumps/core.3193'], cwd: root, runAsNode: null });
  });
});
