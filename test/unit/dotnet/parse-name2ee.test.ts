import { describe, it, expect } from 'vitest';
import { commandOf, parsedFixture } from './fixtures';

describe('parseName2Ee', () => {
  it('reads "Not JITTED yet" for the article\'s ApiWebRequestFactory.Create', () => {
    const r = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'name2ee').result;
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]).toMatchObject({
      module: '0x7f2827457ab0',
      assembly: 'Datadog.Trace.dll',
      token: '0x6001c88',
      methodDesc: '0x7f28279df8e8',
      name: 'Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri)',
      jitted: false,
      codeAddress: null,
    });
    expect(r.unparsed).toEqual([]);
  });

  it('reads a JITTED code address, and a type (MethodTable, EEClass) with jitted unknown', () => {
    const t = parsedFixture('sosdocs-name2ee.txt');
    expect(commandOf(t, 'name2ee', 0).result.entries[0]).toMatchObject({ module: '0x1caa38', token: '0x600000d', methodDesc: '0x902f40', name: 'MainClass.Main()', jitted: true, codeAddress: '0x3ef00b8' });
    expect(commandOf(t, 'name2ee', 1).result.entries[0]).toMatchObject({ methodTable: '0x9032d8', eeClass: '0x3ee1424', name: 'MainClass', jitted: null });
  });
});
