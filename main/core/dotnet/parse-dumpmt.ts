// SOS `dumpmt [-md] <MethodTable>`: header fields, then with -md the MethodDesc table whose JIT
// column says whether each method has code yet (NONE: not compiled; JIT, PreJIT/NGEN/R2R: has
// code; FCALL: implemented in the runtime).
//
// MethodDesc Table
//            Entry       MethodDesc    JIT Name
// 00007F28279F99F0 00007F28279DF8E8   NONE Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri)

import { toAddress } from './text';
import { type DumpMtMethod, type DumpMtResult } from './types';

const RE_FIELD = /^\s*([A-Za-z][A-Za-z ]{0,40}?):\s+(.*?)\s*$/;
const RE_BOOL_FIELD = /^\s*([A-Za-z][A-Za-z]{0,40})\s+(true|false)\s*$/;
const RE_METHOD = /^\s*([0-9a-fA-F]{8,16})\s+([0-9a-fA-F]{8,16})\s+([A-Za-z][A-Za-z0-9]{0,15})\s+(\S.*)$/;
const RE_TABLE_HEADER = /^\s*Entry\s+MethodDesc\s+JIT\s+Name/;

/** Parses `dumpmt` / `dumpmt -md` output. */
export function parseDumpMt(lines: readonly string[]): DumpMtResult {
  const result: DumpMtResult = { name: null, eeClass: null, module: null, mdToken: null, file: null, fields: {}, methods: [], warnings: [], unparsed: [] };
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '' || /^-{5,}$/.test(t)) continue;
    if (t === 'MethodDesc Table') {
      inTable = true;
      continue;
    }
    if (RE_TABLE_HEADER.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable) {
      const m = RE_METHOD.exec(line);
      if (m) {
        const jit = m[3];
        const method: DumpMtMethod = {
          entry: toAddress(m[1]) ?? m[1],
          methodDesc: toAddress(m[2]) ?? m[2],
          jit,
          jitted: jit.toUpperCase() !== 'NONE',
          name: m[4].trim(),
          line: i,
        };
        result.methods.push(method);
        continue;
      }
    }
    const f = RE_FIELD.exec(line) ?? RE_BOOL_FIELD.exec(line);
    if (f && !inTable) {
      const key = f[1].trim();
      const value = f[2];
      result.fields[key] = value;
      switch (key) {
        case 'Name':
          result.name = value;
          break;
        case 'EEClass':
          result.eeClass = toAddress(value) ?? value;
          break;
        case 'Module':
          result.module = toAddress(value) ?? value;
          break;
        case 'mdToken':
          result.mdToken = toAddress(value) ?? value;
          break;
        case 'File':
          result.file = value;
          break;
        default:
          break;
      }
      continue;
    }
    result.unparsed.push(line);
  }
  return result;
}
