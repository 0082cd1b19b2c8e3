// Builds everything that runs: the CLI / server / worker bundles and the Electron main (esbuild,
// Node ESM, code-split into shared chunks), the preload (CommonJS), and the renderer (Vite).
// Pure-JS dependencies are bundled: resolving and lexing CommonJS packages at start-up cost the
// CLI a third of its start time. Native and WASM packages stay external (they locate files
// relative to their package).
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
for (const f of ['cli.mjs', 'cli.mjs.map', 'worker.mjs', 'worker.mjs.map', 'app', 'chunks']) rmSync(at(`dist/${f}`), { recursive: true, force: true });

const EXTERNAL = ['electron', 'better-sqlite3', 'better-sqlite3-napi', 'gecko-profiler-demangle', '@alexaltea/capstone-js', 'xz-decompress'];

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

// ESM entries share chunks (dist/chunks/). Bundled CommonJS packages call require(): give ESM
// output a real one.
const esmEntries = Object.fromEntries(
  [
    ['cli', 'main/cli/index.ts'],
    ['worker', 'main/worker/analysis-worker.ts'],
    ['app/main', 'main/app/main.ts'],
  ].filter(([, src]) => existsSync(at(src))),
);
await build({
  ...node,
  entryPoints: esmEntries,
  outdir: at('dist'),
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: "import { createRequire as __dumpscopeCreateRequire } from 'node:module'; const require = __dumpscopeCreateRequire(import.meta.url);" },
});
// Sandboxed preloads must be CommonJS.
if (existsSync(at('main/app/preload.ts'))) {
  await build({ ...node, entryPoints: ['main/app/preload.ts'], outfile: 'dist/app/preload.cjs', format: 'cjs' });
}

if (!skipRenderer && existsSync(at('renderer/index.html'))) {
  const vite = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
console.log(`dumpscope built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
