// A real deadlocked program whose every name a dump records is hostile: it lives in a folder
// whose name holds terminal escapes, `<script>` and a bidi override, it is called with an OSC
// title sequence, compiled from a source file with one, and has a function and a mutex whose
// symbols (asm labels) hold an OSC title sequence, `<img onerror>`, `<script>` and a right-to-left
// override. It names its main thread so (pthread_setname_np) and runs with such arguments, which
// the kernel's dumper records (pr_fname is the thread's comm, pr_psargs the command line) but
// gcore does not: `kernelLike` carries them as the kernel would write them.
// Used by the CLI's hostile-text test (test/integration/stress) and the UI's (test/e2e).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gcore, TEST_TMP } from './native';
import { programHeaders } from './mutate';

export const ESC = '\x1b';
export const RLO = '\u202e';
// A folder name with a colour escape, the start of a script tag (the path separator completes
// `</script>`) and a right-to-left override, then the rest of the tag.
export const DIR_A = `dir${ESC}[31mRED${ESC}[0m<script>alert(1)<`;
export const DIR_B = `script>${RLO}gpj.exe`;
export const EXE = `prog${ESC}]0;pwned${String.fromCharCode(7)}`;
export const SOURCE = `src${ESC}[7m.c`;
export const THREAD_NAME = `${ESC}[31m<b>${RLO}X`; // 15 bytes at most: the kernel's comm
export const ARGS = [`${ESC}]52;c;cHduZWQ=${String.fromCharCode(7)}`, '<svg/onload=alert(1)>', `${RLO}txt.exe`];
/** The symbols the program defines (asm labels), exactly. */
export const EVIL_FN = `fn${ESC}]0;pwned\x07<img src=x onerror=alert(1)>${RLO}evil`;
export const EVIL_MUTEX = `mu${ESC}[5m<script>alert(1)</script>${RLO}evil`;

export const PROGRAM = String.raw`
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
pthread_mutex_t evil_mutex __asm__("\"mu\x1b[5m<script>alert(1)</script>\xe2\x80\xae" "evil\"") = PTHREAD_MUTEX_INITIALIZER;
__attribute__((noinline)) void evil_fn(void) __asm__("\"fn\x1b]0;pwned\x07<img src=x onerror=alert(1)>\xe2\x80\xae" "evil\"");
__attribute__((noinline)) void evil_fn(void) { pthread_mutex_lock(&evil_mutex); __asm__ volatile(""); }
static void *worker(void *a) { evil_fn(); return a; }
int main(void) {
  pthread_mutex_lock(&evil_mutex);
  pthread_setname_np(pthread_self(), "\x1b[31m<b>\xe2\x80\xae" "X");
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  usleep(100000);
  printf("ready\n");
  fflush(stdout);
  pthread_join(t, 0); /* waits for worker, which waits for the mutex main holds: a deadlock */
  return 0;
}
`;

// Control characters (C0 but newline and tab, DEL, C1) and bidi controls: never raw in text output.
// eslint-disable-next-line no-control-regex
export const NOT_INERT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The CLI's escaped form of a string (what `inert` in main/cli/format.ts prints). */
export function escaped(text: string): string {
  return text.replace(new RegExp(NOT_INERT.source, 'g'), (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * The core with NT_PRPSINFO's pr_fname (16 bytes) and pr_psargs (80 bytes) set as the kernel's
 * dumper sets them: the main thread's comm and the command line, arguments joined by spaces.
 */
export function withKernelPrpsinfo(buf: Buffer, fname: string, psargs: string): Buffer {
  const note = programHeaders(buf).find((p) => p.type === 4);
  if (!note) throw new Error('no PT_NOTE');
  let pos = note.offset;
  while (pos < note.offset + note.filesz) {
    const namesz = buf.readUInt32LE(pos);
    const descsz = buf.readUInt32LE(pos + 4);
    const desc = pos + 12 + ((namesz + 3) & ~3);
    if (buf.readUInt32LE(pos + 8) === 3 /* NT_PRPSINFO */) {
      buf.fill(0, desc + 40, desc + 136);
      Buffer.from(fname).copy(buf, desc + 40, 0, 15);
      Buffer.from(psargs).copy(buf, desc + 56, 0, 79);
      return buf;
    }
    pos = desc + ((descsz + 3) & ~3);
  }
  throw new Error('no NT_PRPSINFO');
}

export interface HostileCores {
  /** The hostile folder (DIR_A/DIR_B under a temporary root). */
  dir: string;
  exe: string;
  /** gcore of the deadlocked process. */
  core: string;
  /** A second gcore of the same process, taken after the first. */
  core2: string;
  /** `core` with the thread name and command line the kernel's dumper records. */
  kernelLike: string;
  /** The process, still deadlocked (killed by `remove`). */
  child: ChildProcess;
  /** Kills the process and removes the folder. */
  remove(): void;
}

/** Compiles and runs the hostile program in its hostile folder and takes its cores. */
export async function makeHostileCores(): Promise<HostileCores> {
  const root = fs.mkdtempSync(path.join(TEST_TMP, 'hostile-'));
  const dir = path.join(root, DIR_A, DIR_B);
  fs.mkdirSync(dir, { recursive: true });
  let child: ChildProcess | null = null;
  const remove = () => {
    child?.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    fs.writeFileSync(path.join(dir, SOURCE), PROGRAM);
    const exe = path.join(dir, EXE);
    // Compile in the folder with a relative source name, so DWARF's file and directory both carry the escapes.
    const cc = spawnSync('gcc', ['-g', '-O0', '-pthread', '-o', EXE, SOURCE], { cwd: dir, encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(cc.stderr);
    const live = spawn(exe, ARGS, { cwd: dir, argv0: `./${EXE}`, stdio: ['ignore', 'pipe', 'inherit'] });
    child = live;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      live.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      live.on('exit', (code) => reject(new Error(`the hostile program exited (${code})`)));
    });
    const core = gcore(live.pid ?? -1, dir);
    const core2 = `${core}.second`;
    fs.renameSync(gcore(live.pid ?? -1, path.join(dir, 'second')), core2);
    const kernelLike = `${core}.kernel-like`;
    fs.writeFileSync(kernelLike, withKernelPrpsinfo(fs.readFileSync(core), THREAD_NAME, [`./${EXE}`, ...ARGS].join(' ')));
    return { dir, exe, core, core2, kernelLike, child: live, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
