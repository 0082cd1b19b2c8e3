// The one wrapper for external tools: output tails, typed failures, timeouts and cancelling
// that stop the tool's children too (gcore is a script that runs gdb).
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { runTool, ToolError } from '../../../main/core/capture';

async function failure(p: Promise<unknown>): Promise<ToolError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ToolError) return e;
    throw e;
  }
  throw new Error('did not fail');
}

const alive = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
};

describe('runTool', () => {
  it('returns the output of a tool that succeeds', async () => {
    const r = await runTool({ tool: 'sh', args: ['-c', 'echo out; echo err >&2'], timeoutMs: 10_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
  });

  it('throws EngineFailed with the arguments and the stderr tail', async () => {
    const e = await failure(runTool({ tool: 'sh', args: ['-c', 'echo first >&2; echo "ptrace: Operation not permitted." >&2; exit 3'], timeoutMs: 10_000 }));
    expect(e.code).toBe('EngineFailed');
    expect(e.failure).toBe('exit');
    expect(e.exitCode).toBe(3);
    expect(e.args[0]).toBe('-c');
    expect(e.stderr).toContain('first');
    expect(e.lastLine).toBe('ptrace: Operation not permitted.');
    expect(e.message).toBe('sh failed (exit code 3): ptrace: Operation not permitted.');
  });

  it('accepts other exit codes when told', async () => {
    expect((await runTool({ tool: 'sh', args: ['-c', 'exit 1'], timeoutMs: 10_000, okExitCodes: [0, 1] })).exitCode).toBe(1);
  });

  it('says EngineMissing for a tool that is not installed', async () => {
    const e = await failure(runTool({ tool: 'gcore', command: 'dumpscope-no-such-tool', args: [], timeoutMs: 10_000 }));
    expect(e.code).toBe('EngineMissing');
    expect(e.message).toBe('gcore is not installed (dumpscope-no-such-tool was not found)');
  });

  it('stops a tool and its children on timeout', async () => {
    const started = Date.now();
    let child = 0;
    const e = await failure(
      runTool({
        tool: 'sh',
        args: ['-c', 'sleep 60 & echo $!; wait'],
        timeoutMs: 500,
        onOutput: (_s, text) => {
          child = Number(text.trim());
        },
      }),
    );
    expect(e.code).toBe('Timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(child).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(child)).toBe(false);
  });

  it('stops a tool when cancelled', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const e = await failure(runTool({ tool: 'sleep', args: ['60'], timeoutMs: 60_000, signal: ac.signal }));
    expect(e.code).toBe('Cancelled');
  });
});
