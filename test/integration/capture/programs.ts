// Programs for the capture tests. Each prints `tid <role> <tid>` lines and `ready` (see
// test/helpers/programs.ts), then waits to be dumped.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { C_PREAMBLE } from '../../helpers/programs';
import { BIN } from '../../helpers/cli';

/** Marks itself non-dumpable: only CAP_SYS_PTRACE may attach (and /proc/<pid>/maps is root's). */
export const NON_DUMPABLE =
  C_PREAMBLE +
  String.raw`
#include <sys/prctl.h>
int main(void) {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return 1;
  report_tid("main");
  report_ready();
  for (;;) pause();
}
`;

/** Touches argv[1] MiB of heap (default 64), so gcore has a lot to write. */
export const BIG_HEAP =
  C_PREAMBLE +
  String.raw`
int main(int argc, char **argv) {
  size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 64;
  char *p = malloc(mib << 20);
  if (!p) return 1;
  for (size_t i = 0; i < (mib << 20); i += 4096) p[i] = (char)(i >> 12);
  report_tid("main");
  report_ready();
  for (;;) pause();
}
`;

/** Forks a child that exits at once and never reaps it: the child stays a zombie. */
export const ZOMBIE_PARENT =
  C_PREAMBLE +
  String.raw`
#include <signal.h>
#include <sys/types.h>
int main(void) {
  signal(SIGCHLD, SIG_DFL); /* an ignored SIGCHLD would let the kernel reap the child */
  pid_t child = fork();
  if (child == 0) _exit(0);
  printf("tid zombie %d\n", (int)child);
  report_ready();
  for (;;) pause();
}
`;

/**
 * A library that only has the name of the .NET runtime's: mapping it makes a process look like
 * .NET to /proc/<pid>/maps, which is all that capture's detection reads.
 */
export const CORECLR_STANDIN_LIB = String.raw`
int coreclr_standin(void) { return 42; }
`;

/** Loads the library at argv[1] (the stand-in libcoreclr.so), then waits. */
export const LOADS_LIBRARY =
  C_PREAMBLE +
  String.raw`
#include <dlfcn.h>
int main(int argc, char **argv) {
  if (argc < 2 || !dlopen(argv[1], RTLD_NOW)) { fprintf(stderr, "dlopen failed\n"); return 1; }
  report_tid("main");
  report_ready();
  for (;;) pause();
}
`;

/**
 * A stand-in for the runtime's createdump (or for dotnet-dump): records its arguments next to
 * itself, then writes a real core of the pid with gcore to the file it was asked for. It tests
 * how capture finds, calls and trusts these tools; it is not the real tool.
 */
export function writeStandInTool(file: string, kind: 'createdump' | 'dotnet-dump'): void {
  const parse =
    kind === 'createdump'
      ? `pid="$1"; shift; while [ $# -gt 0 ]; do case "$1" in -f) out="$2"; shift 2;; *) shift;; esac; done`
      : `while [ $# -gt 0 ]; do case "$1" in -p) pid="$2"; shift 2;; -o) out="$2"; shift 2;; *) shift;; esac; done`;
  fs.writeFileSync(
    file,
    `#!/bin/sh
# stand-in for ${kind}: records its arguments, then writes a real core with gcore
printf '%s\\n' "$*" > "${file}.args"
${parse}
gcore -o "$out.gcore" "$pid" >/dev/null 2>&1 || exit 1
mv "$out.gcore.$pid" "$out"
`,
    { mode: 0o755 },
  );
}

export interface AsyncCli {
  child: ChildProcess;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Runs the CLI without waiting (to act on the process while it captures). */
export function runCliAsync(args: string[], index: string, env: NodeJS.ProcessEnv = {}): AsyncCli {
  const child = spawn(process.execPath, [BIN, '--index', index, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, done };
}

/** Files in `dir` (none when it does not exist). */
export function filesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function stateOf(pid: number): string | null {
  try {
    const s = fs.readFileSync(path.join('/proc', String(pid), 'stat'), 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}
