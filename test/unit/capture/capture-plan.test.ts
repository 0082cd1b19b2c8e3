// Which tool takes the dump: the runtime's tools first for .NET, gcore otherwise, and clear
// errors when nothing fits. (Integration tests run the chosen tools for real.)
import { describe, expect, it } from 'vitest';
import { planCapture, type ToolPaths } from '../../../main/core/capture';
import { DumpscopeError } from '../../../main/core/errors';

const native = { pid: 42, name: 'app', isDotnet: false, coreclrPath: null };
const dotnet = { pid: 43, name: 'dotnet', isDotnet: true, coreclrPath: '/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.1/libcoreclr.so' };
const all: ToolPaths = { gcore: '/usr/bin/gcore', dotnetDump: '/root/.dotnet/tools/dotnet-dump', createdump: '/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.1/createdump' };
const none: ToolPaths = { gcore: null, dotnetDump: null, createdump: null };

function thrown(f: () => unknown): DumpscopeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DumpscopeError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('planCapture', () => {
  it('dumps a native process with gcore into <name>.partial.<pid>', () => {
    const steps = planCapture(native, 'full', all, '/d/core.app.42.T.partial');
    expect(steps.map((s) => s.tool)).toEqual(['gcore']);
    expect(steps[0].args).toEqual(['-o', '/d/core.app.42.T.partial', '42']);
    expect(steps[0].writes).toBe('/d/core.app.42.T.partial.42');
    expect(steps[0].notes).toEqual([]);
  });

  it('prefers dotnet-dump, then createdump, then gcore -a for .NET, full by default', () => {
    const steps = planCapture(dotnet, 'full', all, '/d/x.partial');
    expect(steps.map((s) => s.tool)).toEqual(['dotnet-dump', 'createdump', 'gcore']);
    expect(steps[0].args).toEqual(['collect', '-p', '43', '--type', 'Full', '-o', '/d/x.partial']);
    expect(steps[1].args).toEqual(['43', '-f', '/d/x.partial', '--full']);
    expect(steps[2].args).toEqual(['-a', '-o', '/d/x.partial', '43']);
    expect(steps[2].notes.join(' ')).toMatch(/full dump too.*not asked to take it/);
  });

  it('maps dump types to each tool and escapes % for createdump', () => {
    const heap = planCapture(dotnet, 'heap', all, '/d/50%/x.partial');
    expect(heap.map((s) => s.tool)).toEqual(['dotnet-dump', 'createdump']);
    expect(heap[0].args).toContain('Heap');
    expect(heap[1].args).toEqual(['43', '-f', '/d/50%%/x.partial', '--withheap']);
    expect(planCapture(dotnet, 'mini', all, 'x')[1].args).toContain('--normal');
    expect(planCapture(dotnet, 'triage', all, 'x')[1].args).toContain('--triage');
  });

  it('falls back to gcore for .NET and says what is missing and what is lost', () => {
    const steps = planCapture(dotnet, 'full', { ...none, gcore: '/usr/bin/gcore' }, 'x');
    expect(steps.map((s) => s.tool)).toEqual(['gcore']);
    expect(steps[0].notes.join(' ')).toMatch(/neither dotnet-dump .* nor the runtime's createdump \(looked beside .*libcoreclr.so\) was found/);
    expect(steps[0].notes.join(' ')).toMatch(/taken with gcore: a full dump too/);
  });

  it('names the missing tool and how to install it', () => {
    expect(thrown(() => planCapture(native, 'full', none, 'x')).message).toBe(
      "cannot capture pid 42 (app): gcore is not installed (it comes with gdb): install it with apt-get install gdb (or your distribution's gdb package)",
    );
    expect(thrown(() => planCapture(native, 'full', none, 'x')).code).toBe('EngineMissing');
    expect(thrown(() => planCapture(dotnet, 'full', none, 'x')).message).toMatch(/apt-get install gdb.*dotnet tool install -g dotnet-dump/);
    const heap = thrown(() => planCapture(dotnet, 'heap', { ...none, gcore: '/usr/bin/gcore' }, 'x'));
    expect(heap.code).toBe('EngineMissing');
    expect(heap.message).toMatch(/cannot take a heap dump of pid 43 \(dotnet\): it needs dotnet-dump .* --type full can use gcore instead/);
  });

  it('refuses .NET-only dump types for a native process', () => {
    const e = thrown(() => planCapture(native, 'heap', all, 'x'));
    expect(e.code).toBe('BadRequest');
    expect(e.message).toMatch(/^pid 42 \(app\) is not a \.NET process .*--type heap needs the \.NET runtime's dump tools/);
  });
});
