// `dumpscope modules <dump> [--json]`: mapped modules with build-ids, and the raw mappings.
import { JSON_SCHEMA_VERSION } from '../../shared/types';
import { type CliContext } from './context';
import { dumpJson, header } from './commands-threads';
import { table } from './format';

export async function modulesCommand(ctx: CliContext, dumpPath: string, opts: { json?: boolean; partial?: boolean }): Promise<number> {
  const dump = await ctx.open(dumpPath, { partial: opts.partial });
  const modules = await ctx.api.listModules({ dumpId: dump.id });
  if (opts.json) {
    const mappings = await ctx.api.listMappings({ dumpId: dump.id });
    ctx.out(JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, dump: dumpJson(dump), modules, mappings }, null, 2) + '\n');
    return 0;
  }
  ctx.out(header(dump));
  ctx.out(
    table(modules, [
      { header: 'START', value: (m) => m.start, align: 'right' },
      { header: 'END', value: (m) => m.end, align: 'right' },
      { header: 'KIND', value: (m) => m.kind },
      { header: 'BUILD-ID', value: (m) => (m.buildId ? `${m.buildId}${m.buildIdSource === 'file' ? ' (from file)' : ''}` : '-') },
      { header: 'PATH', value: (m) => m.path },
    ]),
  );
  return 0;
}
