// Two cores of one live process, seconds apart, for the compare and report tests: gcore twice
// with a pause, then a check that the busy thread really moved (a second core is taken again,
// up to three times, in the rare case both snapshots caught it at the same pcs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gcore, startProgram, TEST_TMP, type LiveProgram } from '../../helpers/native';
import { runCli } from '../../helpers/cli';

export interface TwoDumps {
  prog: LiveProgram;
  a: string;
  b: string;
  dir: string;
  /** B's file time minus A's. */
  intervalMs: number;
  remove(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface BtJson {
  threads: { tid: number; frames: { pc: string }[] }[];
}

/** The pcs of one thread's stack, as `dumpscope bt --json` gives them. */
export function stackPcs(core: string, tid: number, index: string): string[] {
  const r = runCli(['bt', core, '--json', '--thread', String(tid)], { index });
  if (r.code !== 0) throw new Error(`bt failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as BtJson).threads[0].frames.map((f) => f.pc);
}

export async function twoDumps(exe: string, opts: { index: string; pauseMs?: number; movingRole?: string }): Promise<TwoDumps> {
  const dir = fs.mkdtempSync(path.join(TEST_TMP, 'compare-'));
  const prog = await startProgram(exe, { stackKb: 256 });
  try {
    await sleep(400); // let the threads reach their waits
    const a = gcore(prog.pid, path.join(dir, 'a'));
    await sleep(opts.pauseMs ?? 2000);
    let b = '';
    const moving = opts.movingRole ? prog.tids.get(opts.movingRole) : undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      b = gcore(prog.pid, path.join(dir, `b${attempt}`));
      if (moving === undefined) break;
      if (stackPcs(a, moving, opts.index).join() !== stackPcs(b, moving, opts.index).join()) break;
      if (attempt === 3) throw new Error(`the ${opts.movingRole} thread was at the same pcs in four snapshots`);
    }
    return {
      prog,
      a,
      b,
      dir,
      intervalMs: fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs,
      remove: () => {
        prog.kill();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    prog.kill();
    throw e;
  }
}
