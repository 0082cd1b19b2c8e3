import { describe, it, expect } from 'vitest';
import { commandOf, parsedFixture } from './fixtures';

describe('parseClrStack', () => {
  it('reads the article\'s stuck thread: OS Thread Id 0xc79 (15), PrestubMethodFrame on top', () => {
    const r = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'clrstack').result;
    expect(r.threads).toHaveLength(1);
    const t = r.threads[0];
    expect([t.osid, t.tid, t.dbg]).toEqual(['c79', 3193, 15]);
    expect(t.frames).toHaveLength(19);
    expect(t.frames[0]).toMatchObject({
      childSp: '0x7f288a3f4d10',
      ip: '0x7f28a117129c',
      kind: 'runtime',
      frameType: 'PrestubMethodFrame',
      frameAddress: '0x7f288a3f4d10',
      method: 'Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri)',
      file: null,
    });
    expect(t.frames[1]).toMatchObject({ kind: 'managed', method: 'Datadog.Trace.Agent.Api+<SendTracesAsync>d__9.MoveNext()', file: null, line: null });
    expect(t.frames[2]).toMatchObject({
      kind: 'managed',
      method: 'System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start[[System.__Canon, System.Private.CoreLib]](System.__Canon ByRef)',
      file: '/_/src/System.Private.CoreLib/shared/System/Runtime/CompilerServices/AsyncMethodBuilder.cs',
      line: 1015,
    });
    expect(t.frames[18]).toMatchObject({ kind: 'runtime', frameType: 'DebuggerU2MCatchHandlerFrame', method: null });
    expect(r.unparsed).toEqual([]);
  });

  it('reads clrstack -all: one thread per "OS Thread Id", HelperMethodFrame_1OBJ over Monitor.ReliableEnter', () => {
    const r = commandOf(parsedFixture('diagnostics-hung-app-clrstack-all.txt'), 'clrstack').result;
    // The excerpt starts in the middle of a thread (frames before any "OS Thread Id" line).
    expect(r.threads.map((t) => [t.osid, t.dbg, t.frames.length])).toEqual([
      [null, null, 7],
      ['1dc82', null, 7],
      ['1dc83', null, 7],
      ['1dc84', null, 7],
      ['1dc85', null, 7],
      ['1dc86', null, 7],
      ['1dc87', null, 7],
      ['1dc88', null, 7],
    ]);
    expect(r.threads[1].frames[2]).toMatchObject({
      kind: 'runtime',
      frameType: 'HelperMethodFrame_1OBJ',
      frameAddress: '0x7f2ae2fb47d0',
      method: 'System.Threading.Monitor.ReliableEnter(System.Object, Boolean ByRef)',
    });
    expect(r.threads[1].frames[3]).toMatchObject({ method: 'testwebapi.Controllers.DiagScenarioController.<deadlock>b__3_1()', file: '/home/marioh/webapi/Controllers/diagscenario.cs', line: 36 });
    expect(r.unparsed).toEqual(['  ...', '  ...', '  ...', '...', '...', '...']);
  });

  it('reads the DBG number after the OS thread id and Monitor.Enter under a HelperMethodFrame_1OBJ', () => {
    const t = parsedFixture('diagnostics-hung-app-setthread-clrstack.txt');
    const a = commandOf(t, 'clrstack', 0).result.threads[0];
    const b = commandOf(t, 'clrstack', 1).result.threads[0];
    expect([a.osid, a.tid, a.dbg, b.osid, b.dbg]).toEqual(['1dc1d', 0x1dc1d, 20, '1dc1e', 21]);
    expect(a.frames[2]).toMatchObject({ frameType: 'HelperMethodFrame_1OBJ', method: 'System.Threading.Monitor.Enter(System.Object)' });
  });

  it('reads HelperMethodFrame_PROTECTOBJ and GCFrame (dotnet-dump docs)', () => {
    const t = commandOf(parsedFixture('diagnostics-dotnet-dump-clrstack.txt'), 'clrstack').result.threads[0];
    expect([t.osid, t.dbg, t.frames.length]).toEqual(['573d', 0, 8]);
    expect(t.frames[0]).toMatchObject({ frameType: 'HelperMethodFrame_PROTECTOBJ', method: 'System.RuntimeMethodHandle.InvokeMethod(System.Object, System.Object[], System.Signature, Boolean, Boolean)' });
    expect(t.frames[2]).toMatchObject({ method: 'SymbolTestApp.Program.Foo4(System.String)', line: 54 });
    expect(t.frames.slice(6).map((f) => f.frameType)).toEqual(['GCFrame', 'GCFrame']);
  });

  it('reads a WinDbg fragment with trailing spaces after runtime frames', () => {
    const r = commandOf(parsedFixture('issue-dotnetfly-4-windbg-clrstack-syncblk.txt'), 'clrstack').result;
    const t = r.threads[0];
    expect(t.osid).toBeNull();
    expect(t.frames.map((f) => f.frameType ?? f.method)).toEqual([
      'GCFrame',
      'GCFrame',
      'HelperMethodFrame',
      'System.ComponentModel.PropertyDescriptorCollection.Find(System.String, Boolean)',
      'System.Data.XSDSchema.SetProperties(System.Object, System.Xml.XmlAttribute[])',
      'System.Data.XSDSchema.HandleElementColumn(System.Xml.Schema.XmlSchemaElement, System.Data.DataTable, Boolean)',
    ]);
    expect(t.frames[2].method).toBe('System.Threading.Monitor.Enter(System.Object)');
    expect(t.frames[0].childSp).toBe('0x157dc0b8');
  });

  it('reads clrstack -f: nameless native frames (SP IP only) and a native frame with "+ offset at file:line"', () => {
    const t = commandOf(parsedFixture('issue-coreclr-14009-lldb-clrstack-f.txt'), 'clrstack').result.threads[0];
    expect([t.osid, t.dbg, t.frames.length]).toEqual(['553c', 1, 17]);
    expect(t.frames[0]).toMatchObject({ childSp: '0xffcdcd8c', ip: '0x0', kind: 'native', method: null });
    expect(t.frames[16]).toMatchObject({
      kind: 'native',
      module: 'corerun',
      method: 'ExecuteManagedAssembly(char const*, char const*, char const*, int, char const**)',
      offset: 1856,
      file: '/media/kbaladurin/data/dotnet/forked/coreclr/src/coreclr/hosts/unixcoreruncommon/coreruncommon.cpp',
      line: 431,
    });
  });

  it('reads 32-bit ARM columns and the bare [Frame: …] runtime frames', () => {
    const t = parsedFixture('issue-coreclr-5037-lldb-clrstack-bt.txt');
    const arm = commandOf(t, 'clrstack', 0).result.threads[0];
    expect(arm.frames.map((f) => [f.childSp, f.ip, f.kind, f.frameType ?? f.method])).toEqual([
      ['0xbec85b38', '0xbec85c50', 'managed', 'HelloWorld3.Program.show_message()'],
      ['0xbec85b38', '0xbec85c50', 'managed', 'HelloWorld3.Program.Main(System.String[])'],
      ['0xbec85b38', '0xb64a574e', 'runtime', 'Frame'],
      ['0xbec85b38', '0xb64a574e', 'runtime', 'Frame'],
    ]);
    expect(commandOf(t, 'clrstack', 1).result.threads[0].frames.map((f) => f.frameType ?? f.method)).toEqual([
      'HelloWorld3.Program.show_message()', 'HelloWorld3.Program.Main(System.String[])', 'GCFrame', 'GCFrame',
    ]);
  });

  it('keeps stack-walk failures as errors and reads the <unknown> placeholder as no method', () => {
    const failed = commandOf(parsedFixture('issue-diagnostics-2443-clrstack-failed.txt'), 'clrstack').result;
    expect(failed.threads.map((t) => [t.osid, t.tid, t.dbg, t.frames.length])).toEqual([['0', 0, 1, 0]]);
    expect(failed.threads[0].errors).toEqual([
      'Unable to walk the managed stack. The current thread is likely not a',
      'Failed to start stack walk: 80070057',
    ]);
    const unknown = commandOf(parsedFixture('issue-coreclr-14490-lldb-sos-clrstack-unknown.txt'), 'clrstack').result.threads[0];
    expect([unknown.osid, unknown.tid, unknown.dbg]).toEqual(['c049', 0xc049, 57]);
    expect(unknown.errors).toEqual(['GetFrameContext failed: 1']);
    expect(unknown.frames[0]).toMatchObject({ childSp: '0x0', ip: '0x0', method: null });
  });
});
