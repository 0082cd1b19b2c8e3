// SOS `clrstack`, `clrstack -all`, `clrstack -a` and the mixed-mode `clrstack -f` style.
//
// OS Thread Id: 0xc79 (15)
//         Child SP               IP Call Site
// 00007F288A3F4D10 00007f28a117129c [PrestubMethodFrame: 00007f288a3f4d10] Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri)
// 00007F288A3F5100 00007F2827A3263F System.Runtime…Start[[…]](System.__Canon ByRef) [/_/src/…/AsyncMethodBuilder.cs @ 1015]
//
// Runtime frames ("[GCFrame: …]") are CoreCLR's explicit Frame objects; their names carry meaning
// (a PrestubMethodFrame on top means the thread waits for the method to be compiled, a
// HelperMethodFrame_1OBJ over Monitor.Enter means it waits for a lock).

import { decToNumber, hexToNumber, isPlaceholder, normalizeOsid, toAddress } from './text';
import { type ClrStackFrame, type ClrStackResult, type ClrStackThread, type ParseWarning } from './types';

const RE_OS_THREAD = /^\s*OS Thread Id:\s*(0x[0-9a-fA-F]+|[0-9a-fA-F]+)(?:\s*\((\d+|[A-Za-z?]+)\))?/;
const RE_HEADER = /^\s*Child SP\s+IP\s+Call Site\s*$/;
// Child SP, optional IP, rest. Hex runs are bounded, so this cannot backtrack badly.
const RE_FRAME = /^([0-9a-fA-F]{8,16})(?:\s+([0-9a-fA-F]{8,16}))?\s+(\S.*)$/;
const RE_RUNTIME = /^\[([A-Za-z_][A-Za-z0-9_]*)(?::\s*([0-9a-fA-F]+))?\]\s*(.*)$/;
const RE_SOURCE = / \[([^[\]]+) @ (\d+)\]$/;
const RE_MODULE = /^([^\s![\]]+)!(.+?)(?: \+ (0x[0-9a-fA-F]+|\d+))?$/;
const RE_SP_IP_ONLY = /^([0-9a-fA-F]{8,16})\s+([0-9a-fA-F]{8,16})\s*$/;
// lldb-style location printed by `clrstack -f` for native frames: "… + 1856 at /path/file.cpp:431".
const RE_AT = /\s+at\s+(\S+):(\d+)$/;
const RE_ERROR = /^(?:Failed to|Unable to|The current thread is unmanaged|Error|Exception)|\bfailed\b/i;
const RE_SECTION = /^\s+(?:PARAMETERS|LOCALS):\s*$/;

function parseCallSite(childSp: string, ip: string | null, site: string, raw: string): ClrStackFrame {
  const frame: ClrStackFrame = {
    childSp: toAddress(childSp),
    ip: ip === null ? null : toAddress(ip),
    kind: 'managed',
    frameType: null,
    frameAddress: null,
    method: null,
    module: null,
    offset: null,
    file: null,
    line: null,
    details: [],
    raw,
  };
  let rest = site.trim();
  const src = RE_SOURCE.exec(rest) ?? RE_AT.exec(rest);
  if (src) {
    frame.file = src[1];
    frame.line = parseInt(src[2], 10);
    rest = rest.slice(0, src.index).trim();
  }
  const rt = RE_RUNTIME.exec(rest);
  if (rt) {
    frame.kind = 'runtime';
    frame.frameType = rt[1];
    frame.frameAddress = rt[2] === undefined ? null : toAddress(rt[2]);
    frame.method = rt[3].trim() === '' ? null : rt[3].trim();
    return frame;
  }
  const mod = RE_MODULE.exec(rest);
  if (mod) {
    frame.module = mod[1];
    frame.method = mod[2].trim();
    frame.offset = mod[3] === undefined ? null : mod[3].startsWith('0x') ? hexToNumber(mod[3]) : parseInt(mod[3], 10);
    if (!/\.(?:dll|exe|winmd)$/i.test(mod[1])) frame.kind = 'native';
    return frame;
  }
  frame.method = rest === '' || isPlaceholder(rest) ? null : rest;
  return frame;
}

/** Parses `clrstack` output (one thread or `-all`). */
export function parseClrStack(lines: readonly string[]): ClrStackResult {
  const threads: ClrStackThread[] = [];
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  let current: ClrStackThread | null = null;
  let lastFrame: ClrStackFrame | null = null;
  let inDetails = false;
  const ensureThread = (i: number): ClrStackThread => {
    if (current === null) {
      // Frames before any "OS Thread Id" line (a paste cut at the top).
      current = { osid: null, tid: null, dbg: null, frames: [], errors: [], line: i };
      threads.push(current);
    }
    return current;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      inDetails = false;
      continue;
    }
    const os = RE_OS_THREAD.exec(line);
    if (os) {
      const osid = normalizeOsid(os[1]);
      current = { osid, tid: osid === null ? null : hexToNumber(osid), dbg: os[2] === undefined ? null : decToNumber(os[2]), frames: [], errors: [], line: i };
      threads.push(current);
      lastFrame = null;
      inDetails = false;
      continue;
    }
    if (RE_HEADER.test(line)) {
      ensureThread(i);
      continue;
    }
    if (RE_SECTION.test(line)) {
      inDetails = true;
      if (lastFrame) lastFrame.details.push(line.trim());
      else unparsed.push(line);
      continue;
    }
    if (inDetails && /^\s/.test(line) && lastFrame) {
      lastFrame.details.push(line.trim());
      continue;
    }
    const bare = RE_SP_IP_ONLY.exec(line);
    if (bare) {
      // `clrstack -f` prints native frames it cannot name as "SP IP" with an empty call site.
      const thread = ensureThread(i);
      lastFrame = parseCallSite(bare[1], bare[2], '', line);
      lastFrame.kind = 'native';
      thread.frames.push(lastFrame);
      inDetails = false;
      continue;
    }
    const f = RE_FRAME.exec(line);
    if (f) {
      const thread = ensureThread(i);
      lastFrame = parseCallSite(f[1], f[2] ?? null, f[3], line);
      thread.frames.push(lastFrame);
      inDetails = false;
      continue;
    }
    if (RE_ERROR.test(line.trim())) {
      ensureThread(i).errors.push(line.trim());
      continue;
    }
    unparsed.push(line);
  }
  return { threads, warnings, unparsed };
}
