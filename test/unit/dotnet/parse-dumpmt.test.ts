import { describe, it, expect } from 'vitest';
import { commandOf, parsedFixture } from './fixtures';

describe('parseDumpMt', () => {
  it('reads the header and the MethodDesc table: JIT column NONE for Create', () => {
    const r = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'dumpmt').result;
    expect(r).toMatchObject({
      name: 'Datadog.Trace.Agent.Transports.ApiWebRequestFactory',
      eeClass: '0x7f2827ac7ad0',
      module: '0x7f2827457ab0',
      mdToken: '0x20003d6',
      file: '/project/test/test-applications/integrations/Samples.HttpMessageHandler/bin/Debug/netcoreapp3.0/publish/Datadog.Trace.dll',
    });
    expect(r.fields['BaseSize']).toBe('0x18');
    expect(r.fields['ContainsPointers']).toBe('false');
    expect(r.fields['Slots in VTable']).toBe('7');
    expect(r.methods.map((m) => [m.methodDesc, m.jit, m.jitted, m.name])).toEqual([
      ['0x7f282649c570', 'NONE', false, 'System.Object.Finalize()'],
      ['0x7f282649c580', 'NONE', false, 'System.Object.ToString()'],
      ['0x7f282649c590', 'NONE', false, 'System.Object.Equals(System.Object)'],
      ['0x7f282649c5d0', 'NONE', false, 'System.Object.GetHashCode()'],
      ['0x7f28279df8d8', 'NONE', false, 'Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Info(System.Uri)'],
      ['0x7f28279df8e8', 'NONE', false, 'Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri)'],
      ['0x7f28279df8f8', 'JIT', true, 'Datadog.Trace.Agent.Transports.ApiWebRequestFactory..ctor()'],
    ]);
    expect(r.methods[5].entry).toBe('0x7f28279f99f0');
    expect(r.unparsed).toEqual([]);
  });
});
