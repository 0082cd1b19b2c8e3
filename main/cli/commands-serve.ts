// `dumpscope serve [--port N] [--no-open]`: browser mode. Runs until SIGINT/SIGTERM.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DumpscopeService, WorkerRunner } from '../api';
import { startServer, type RunningServer } from '../server';
import { inert } from './format';

export interface ServeOptions {
  indexPath: string;
  port?: string;
  open: boolean;
}

export interface ServeIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A file built beside this bundle (dist/cli.mjs -> dist/worker.mjs, dist/renderer); when run
 * from sources (tests, tsx) the repository's dist/ folder.
 */
export function bundledPath(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, name);
  if (path.basename(here) === 'dist' || fs.existsSync(beside)) return beside;
  return path.resolve(here, '..', '..', 'dist', name);
}

export async function serveCommand(opts: ServeOptions, io: ServeIo, stop: Promise<void> = untilSignal()): Promise<number> {
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`dumpscope: --port ${inert(String(opts.port))}: expected a port number (0-65535; 0 picks a free one)\n`);
    return 1;
  }
  const workerScript = bundledPath('worker.mjs');
  const rendererDir = bundledPath('renderer');
  let server: RunningServer | null = null;
  const service = new DumpscopeService({
    indexPath: opts.indexPath,
    runner: new WorkerRunner(workerScript),
    emit: (event, payload) => server?.emit(event, payload),
  });
  try {
    server = await startServer({
      api: service,
      port,
      rendererDir,
      onInternalError: (e) => io.err(`dumpscope serve: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`),
    });
  } catch (e) {
    await service.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') io.err(`dumpscope: port ${port} on 127.0.0.1 is in use: choose another with --port, or omit it\n`);
    else io.err(`dumpscope: cannot start the server: ${inert((e as Error).message)}\n`);
    return 1;
  }
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    io.err(`dumpscope: warning: the UI is not built (${rendererDir} is missing): run \`npm run build\`; the API is served alone\n`);
  }
  io.out(`dumpscope serve: index ${opts.indexPath}\n`);
  io.out(`Open this URL in your browser (it holds the access token; Ctrl+C stops the server):\n  ${server.url}\n`);
  if (opts.open) openBrowser(server.url);
  await stop;
  await server.close();
  await service.close();
  io.out('dumpscope serve: stopped\n');
  return 0;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Best effort: a desktop session opens the URL; without one the printed URL is the way in. */
function openBrowser(url: string): void {
  const linuxDesktop = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : linuxDesktop ? 'xdg-open' : null;
  if (!cmd) return;
  try {
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    /* no opener: the URL is printed */
  }
}
