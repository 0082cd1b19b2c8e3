// Runs the built CLI in this process and reports its peak memory, for tests and benchmarks:
//   node test/helpers/measure-cli.mjs <out.json> <cli args...>
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const [out, ...args] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { main } = await import(pathToFileURL(path.join(root, 'dist', 'cli.mjs')).href);
let stdout = '';
let stderr = '';
const started = performance.now();
const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t), isTTY: false });
writeFileSync(out, JSON.stringify({ code, stdout, stderr, maxRssKb: process.resourceUsage().maxRSS, elapsedMs: performance.now() - started }));
