// SOS `name2ee <module> <type or method>`: one record per module searched, separated by dashes.
//
// Module:      00007f2827457ab0
// Assembly:    Datadog.Trace.dll
// Token:       0000000006001C88
// MethodDesc:  00007f28279df8e8
// Name:        Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri)
// Not JITTED yet. Use 'bpmd -md 00007F28279DF8E8' to break on run.

import { toAddress } from './text';
import { type Name2EeEntry, type Name2EeResult, type ParseWarning } from './types';

const RE_FIELD = /^\s*([A-Za-z][A-Za-z ]{0,40}?):\s+(.*?)\s*$/;
const RE_NOT_JITTED = /^\s*Not JITTED yet\b/;
const RE_JITTED = /^\s*JITTED Code Address:\s*([0-9a-fA-Fx]+)/;

function emptyEntry(): Name2EeEntry {
  return { module: null, assembly: null, token: null, methodDesc: null, methodTable: null, eeClass: null, name: null, jitted: null, codeAddress: null, fields: {} };
}

/** Parses `name2ee` output. */
export function parseName2Ee(lines: readonly string[]): Name2EeResult {
  const entries: Name2EeEntry[] = [];
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  let current: Name2EeEntry | null = null;
  const start = (): Name2EeEntry => {
    current = emptyEntry();
    entries.push(current);
    return current;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '') continue;
    if (/^-{5,}$/.test(t)) {
      current = null;
      continue;
    }
    if (RE_NOT_JITTED.test(line)) {
      (current ?? start()).jitted = false;
      continue;
    }
    const j = RE_JITTED.exec(line);
    if (j) {
      const e = current ?? start();
      e.jitted = true;
      e.codeAddress = toAddress(j[1]);
      continue;
    }
    const f = RE_FIELD.exec(line);
    if (f) {
      const key = f[1].trim();
      const value = f[2];
      let e: Name2EeEntry = current ?? start();
      if (key === 'Module' && e.module !== null) e = start();
      e.fields[key] = value;
      switch (key) {
        case 'Module':
          e.module = toAddress(value) ?? value;
          break;
        case 'Assembly':
          e.assembly = value;
          break;
        case 'Token':
          e.token = toAddress(value) ?? value;
          break;
        case 'MethodDesc':
          e.methodDesc = toAddress(value) ?? value;
          break;
        case 'MethodTable':
          e.methodTable = toAddress(value) ?? value;
          break;
        case 'EEClass':
          e.eeClass = toAddress(value) ?? value;
          break;
        case 'Name':
          e.name = value;
          break;
        default:
          break;
      }
      continue;
    }
    unparsed.push(line);
  }
  return { entries, warnings, unparsed };
}
