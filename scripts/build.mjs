// Builds everything that runs: the CLI / server / worker bundles (esbuild, Node ESM with
// node_modules external), the Electron main and preload, and the renderer (Vite).
//   node scripts/build.mjs [--no-renderer]
import { build } from 'esbuild';
import { existsSync, rmSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = (p) => path.join(root, p);
const skipRenderer = process.argv.includes('--no-renderer');
const started = Date.now();

mkdirSync(at('dist'), { recursive: true });
for (const f of ['cli.mjs', 'worker.mjs', 'app']) rmSync(at(`dist/${f}`), { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

const entries = [
  { in: 'main/cli/index.ts', out: 'dist/cli.mjs', format: 'esm' },
  { in: 'main/worker/analysis-worker.ts', out: 'dist/worker.mjs', format: 'esm' },
  { in: 'main/app/main.ts', out: 'dist/app/main.mjs', format: 'esm', external: ['electron'] },
  // Sandboxed preloads must be CommonJS.
  { in: 'main/app/preload.ts', out: 'dist/app/preload.cjs', format: 'cjs', external: ['electron'] },
];
for (const e of entries) {
  if (!existsSync(at(e.in))) continue;
  await build({ ...node, entryPoints: [e.in], outfile: e.out, format: e.format, external: e.external ?? [] });
}

if (!skipRenderer && existsSync(at('renderer/index.html'))) {
  const vite = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
console.log(`dumpscope built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
