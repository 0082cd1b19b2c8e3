// Run-time validation of API arguments at every door (IPC, HTTP, CLI): one zod schema per
// method. The mapped type below makes the compiler insist on a schema for every method, and
// on each schema accepting exactly the argument type the method declares.
import { z } from 'zod';
import { type ApiArgs, type ApiMethod } from './api';
import { type ApiError } from './errors';

const dumpId = z.number().int().positive();
const jobId = z.string().min(1).max(200);
const filePath = z.string().min(1).max(4096);
const engine = z.enum(['dotnet-dump', 'lldb', 'gdb']);
// a debugger command or batch run: at most an hour
const engineTimeout = z.number().int().min(100).max(3_600_000);

type SchemaMap = { [M in ApiMethod]: z.ZodType<ApiArgs<M>> };

export const API_SCHEMAS = {
  openDump: z.strictObject({
    path: filePath,
    jobId: jobId.optional(),
    force: z.boolean().optional(),
    partial: z.boolean().optional(),
  }),
  listDumps: z.strictObject({}),
  removeDump: z.strictObject({ dumpId }),
  listThreads: z.strictObject({ dumpId }),
  listModules: z.strictObject({ dumpId }),
  listMappings: z.strictObject({ dumpId }),
  cancelJob: z.strictObject({ jobId }),
  listDirectory: z.strictObject({ path: filePath.optional(), showHidden: z.boolean().optional() }),
  openSample: z.strictObject({ jobId: jobId.optional() }),
  listProcesses: z.strictObject({
    filter: z.string().max(200).optional(),
    dotnetOnly: z.boolean().optional(),
    limit: z.number().int().positive().max(100_000).optional(),
  }),
  captureDump: z.strictObject({
    // Linux pids are at most 2^22 (pid_max)
    pid: z.number().int().positive().max(4_194_304),
    outDir: filePath.optional(),
    type: z.enum(['full', 'heap', 'mini', 'triage']).optional(),
    twice: z.boolean().optional(),
    intervalMs: z.number().int().min(0).max(3_600_000).optional(),
    jobId: jobId.optional(),
  }),
  listCoredumps: z.strictObject({}),
  getStacks: z.strictObject({ dumpId, tid: z.number().int().nonnegative().optional() }),
  getLocks: z.strictObject({ dumpId }),
  listModuleSymbols: z.strictObject({ dumpId }),
  listSymbolFolders: z.strictObject({}),
  addSymbolFolder: z.strictObject({ path: filePath }),
  removeSymbolFolder: z.strictObject({ path: filePath }),
  disassemble: z.strictObject({
    dumpId,
    pc: z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'a hex address such as 0x7f28a117129c'),
    before: z.number().int().min(0).max(200).optional(),
    after: z.number().int().min(0).max(200).optional(),
    syntax: z.enum(['att', 'intel']).optional(),
    returnAddress: z.boolean().optional(),
  }),
  search: z.strictObject({
    query: z.string().max(500),
    limit: z.number().int().positive().max(1000).optional(),
    perDump: z.number().int().positive().max(1000).optional(),
    kinds: z.array(z.enum(['frame', 'module', 'transcript'])).max(3).optional(),
  }),
  compareDumps: z.strictObject({ dumpA: dumpId, dumpB: dumpId }),
  exportReport: z.strictObject({ dumpId, compareWith: dumpId.optional(), format: z.enum(['html', 'md', 'json']) }),
  importTranscript: z.strictObject({
    // 32 MiB of text: a long session log; larger input is refused rather than cut
    text: z.string().max(32 * 1024 * 1024),
    name: z.string().min(1).max(1000),
    dumpId: dumpId.optional(),
    host: z.enum(['dotnet-dump', 'lldb', 'gdb', 'windbg', 'unknown']).optional(),
  }),
  importTranscriptFile: z.strictObject({
    path: filePath,
    dumpId: dumpId.optional(),
    host: z.enum(['dotnet-dump', 'lldb', 'gdb', 'windbg', 'unknown']).optional(),
  }),
  listTranscripts: z.strictObject({ dumpId: dumpId.optional() }),
  getTranscript: z.strictObject({ transcriptId: z.number().int().positive() }),
  analyzeTranscripts: z.strictObject({ transcriptIds: z.array(z.number().int().positive()).min(1).max(1000), dumpId: dumpId.optional() }),
  removeTranscript: z.strictObject({ transcriptId: z.number().int().positive() }),
  getDotnetAnalysis: z.strictObject({ dumpId }),
  getDotnetInfo: z.strictObject({ dumpId }),
  listEngines: z.strictObject({}),
  runEngineBatch: z.strictObject({ dumpId, engine, jobId: jobId.optional(), timeoutMs: engineTimeout.optional() }),
  runEngineCommand: z.strictObject({ dumpId, engine, command: z.string().min(1).max(4096), jobId: jobId.optional(), timeoutMs: engineTimeout.optional() }),
  closeEngineSession: z.strictObject({ dumpId, engine }),
  recordConsole: z.strictObject({ dumpId, command: z.string().min(1).max(4096), output: z.string().max(4 * 1024 * 1024) }),
} satisfies SchemaMap;

export type ValidationResult<M extends ApiMethod> = { ok: true; args: ApiArgs<M> } | { ok: false; error: ApiError };

/** Validates a method's arguments; a clear BadRequest naming the field otherwise. */
export function validateArgs<M extends ApiMethod>(method: M, args: unknown): ValidationResult<M> {
  const schema = (API_SCHEMAS as SchemaMap)[method] as z.ZodType<ApiArgs<M>>;
  const r = schema.safeParse(args ?? {});
  if (r.success) return { ok: true, args: r.data };
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'arguments';
  return { ok: false, error: { code: 'BadRequest', message: `${method}: ${where}: ${issue?.message ?? 'invalid arguments'}`, where: method } };
}
