// `dumpscope modules <dump> [--json]`: mapped modules with build-ids, where their code and
// symbols were found (and their quality), and the raw file mappings.
import { JSON_SCHEMA_VERSION } from '../../shared/types';
import { type CliContext } from './context';
import { dumpJson, header } from './commands-threads';
import { inertCell, table, jsonText } from './format';

export async function modulesCommand(ctx: CliContext, dumpPath: string, opts: { json?: boolean; partial?: boolean; symbols?: string[] }): Promise<number> {
  const dump = await ctx.open(dumpPath, { partial: opts.partial, symbols: opts.symbols });
  const modules = await ctx.api.listModules({ dumpId: dump.id });
  const symbols = await ctx.api.listModuleSymbols({ dumpId: dump.id });
  // A .NET dump: the runtime's native modules with their symbol-server keys, and the managed assemblies.
  const dotnet = dump.runtime ? await ctx.api.getDotnetInfo({ dumpId: dump.id }) : null;
  if (opts.json) {
    const mappings = await ctx.api.listMappings({ dumpId: dump.id });
    ctx.out(jsonText({ schemaVersion: JSON_SCHEMA_VERSION, dump: dumpJson(dump), modules, symbols, mappings, dotnet }));
    return 0;
  }
  const byPath = new Map(symbols.map((s) => [s.path, s]));
  ctx.out(header(dump));
  ctx.out(
    table(modules, [
      { header: 'START', value: (m) => m.start, align: 'right' },
      { header: 'KIND', value: (m) => m.kind },
      { header: 'NAME', value: (m) => m.name },
      { header: 'BUILD-ID', value: (m) => (m.buildId ? `${m.buildId}${m.buildIdSource === 'file' ? ' (from file)' : ''}` : '-') },
      { header: 'SYMBOLS', value: (m) => byPath.get(m.path)?.quality ?? '-' },
      { header: 'FROM', value: (m) => byPath.get(m.path)?.symbolFile ?? '-', max: 80 },
    ]),
  );
  const notes = symbols.filter((s) => s.notes.length > 0);
  if (notes.length > 0) {
    ctx.out('\n');
    for (const s of notes) for (const n of s.notes) ctx.out(`${inertCell(s.name)}: ${inertCell(n)}\n`);
  }
  if (dotnet !== null) {
    ctx.out('\n.NET runtime modules and their symbol-server keys:\n');
    for (const m of dotnet.runtimeModules) for (const k of m.keys) ctx.out(`  ${inertCell(m.name)} (${k.kind}): ${inertCell(k.key)}\n`);
    ctx.out(`\nManaged assemblies (${dotnet.assemblies.length}):\n`);
    ctx.out(
      table(dotnet.assemblies, [
        { header: 'NAME', value: (a) => `${a.name}${a.nameSource === 'file' ? ' (file name)' : ''}` },
        { header: 'VERSION', value: (a) => a.version ?? '-' },
        { header: 'SIZE', value: (a) => (a.sizeOfImage !== null ? String(a.sizeOfImage) : '-'), align: 'right' },
        { header: 'TIMESTAMP', value: (a) => (a.timestamp !== null ? `0x${a.timestamp.toString(16)}` : '-') },
        { header: 'BASE', value: (a) => a.bases[0] ?? '-' },
        { header: 'PATH', value: (a) => a.path, max: 100 },
      ]),
    );
    for (const w of dotnet.warnings) ctx.out(`${inertCell(w)}\n`);
  }
  return 0;
}
