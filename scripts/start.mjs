// npm start: builds, then runs the desktop app with the Electron binary of node_modules/electron.
//   node scripts/start.mjs [--no-build] [files to open…]
// Electron 42+ downloads its binary lazily, not at install, so on a machine without internet
// access it is absent. Then this prints one line and exits 1. It never calls
// require('electron'): that would try to download the binary and fail with a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** A path as the user would type it from the checkout: relative inside it, absolute outside. */
const rel = (p) => {
  const r = path.relative(root, p);
  return r === '' ? '.' : r.startsWith('..') || path.isAbsolute(r) ? p : r;
};

function platformBinary() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** The Electron executable, or why there is none (the same lookup as electron's index.js). */
export function findElectron(env = process.env) {
  let pkgDir;
  try {
    pkgDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not in node_modules' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, name || platformBinary());
    return existsSync(bin) ? { bin } : { missing: `${bin} does not exist (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!name) return { missing: `${rel(pathFile)} is missing` };
  const bin = path.join(pkgDir, 'dist', name);
  return existsSync(bin) ? { bin } : { missing: `${rel(bin)} is missing` };
}

function main() {
  const args = process.argv.slice(2);
  const noBuild = args[0] === '--no-build';
  if (noBuild) args.shift();

  // Checked before building: saying "no Electron here" should not take a full build.
  const electron = findElectron();
  if (!electron.bin) {
    process.stderr.write(
      `dumpscope: the Electron binary is not installed (${electron.missing}); run \`npx dumpscope serve\` for the browser version, ` +
        'or on a machine with internet access run `npx install-electron` (or reinstall electron) and then `npm start`\n',
    );
    return 1;
  }

  if (!noBuild) {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) return build.status ?? 1;
  }

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node
  // `electron .` runs package.json's "main" (dist/app/main.mjs); the app skips these two argv entries.
  const child = spawn(electron.bin, ['.', ...args], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (e) => {
    process.stderr.write(`dumpscope: cannot start Electron (${electron.bin}): ${e.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = main();
  if (code !== null) process.exit(code);
}
