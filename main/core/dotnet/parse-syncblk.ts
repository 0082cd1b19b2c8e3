// SOS `syncblk`: which thread owns which Monitor.
//
// Index         SyncBlock MonitorHeld Recursion Owning Thread Info          SyncBlock Owner
//    41 000000000143D038          603         1 00007F2B542D28C0 1dc1d  20   00007f2e90080fb8 System.Object
//  1182 00000000131ebf88          278         0 0000000000000000     none    00000003ff781d18 System.ComponentModel.PropertyDescriptorCollection
// -----------------------------
// Total           264
// Free            0
//
// MonitorHeld counts 1 for the owner and 2 for each waiting thread (CoreCLR's AwareLock keeps the
// lock bit and the waiter count in one word; SOS prints it raw), so waiters ≈ (MonitorHeld − 1) / 2.
// "none" as owner with MonitorHeld > 0 is an orphaned lock: its owner thread is gone.

import { decToNumber, hexToNumber, isPlaceholder, normalizeOsid, toAddress } from './text';
import { type ParseWarning, type SyncBlkResult, type SyncBlockEntry, type SyncBlockOwner } from './types';

const RE_HEADER = /^\s*Index\s+SyncBlock\s+MonitorHeld\s+Recursion/;
const RE_TRAILER = /^\s*(Total|Free|CCW|RCW|ComClassFactory)\s+(\d+)\s*$/;
const RE_HEX = /^[0-9a-fA-F]+$/;

function spans(line: string, max: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while (out.length < max && (m = re.exec(line)) !== null) out.push({ text: m[0], start: m.index });
  return out;
}

function parseEntry(line: string, lineNo: number): SyncBlockEntry | null {
  const s = spans(line, 12);
  if (s.length < 6) return null;
  const index = decToNumber(s[0].text);
  const monitorHeld = decToNumber(s[2].text);
  const recursion = decToNumber(s[3].text);
  if (index === null || monitorHeld === null || recursion === null || !RE_HEX.test(s[1].text) || !RE_HEX.test(s[4].text)) return null;
  let owner: SyncBlockOwner | null;
  let next: number;
  if (s[5].text.toLowerCase() === 'none') {
    owner = null;
    next = 6;
  } else {
    const osid = isPlaceholder(s[5].text) ? null : normalizeOsid(s[5].text);
    const dbgTok = s.length > 6 ? s[6].text : '';
    owner = {
      threadObj: toAddress(s[4].text),
      osid,
      tid: osid === null ? null : hexToNumber(osid),
      dbg: decToNumber(dbgTok),
    };
    next = 7;
  }
  let objectAddress: string | null = null;
  let objectType: string | null = null;
  if (s.length > next && RE_HEX.test(s[next].text)) {
    objectAddress = toAddress(s[next].text);
    if (s.length > next + 1) objectType = line.slice(s[next + 1].start).trim();
  } else if (s.length > next) {
    objectType = line.slice(s[next].start).trim();
  }
  const waiters = owner === null ? Math.floor(monitorHeld / 2) : Math.max(0, Math.floor((monitorHeld - 1) / 2));
  return {
    index,
    syncBlock: toAddress(s[1].text) ?? s[1].text,
    monitorHeld,
    recursion,
    owner,
    waiters,
    objectAddress,
    objectType,
    line: lineNo,
    raw: line,
  };
}

/** Parses `syncblk` output. */
export function parseSyncBlk(lines: readonly string[]): SyncBlkResult {
  const result: SyncBlkResult = { entries: [], total: null, free: null, ccw: null, rcw: null, comClassFactory: null, warnings: [], unparsed: [] };
  const warnings: ParseWarning[] = result.warnings;
  let sawHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '' || /^-{5,}$/.test(t)) continue;
    if (RE_HEADER.test(line)) {
      sawHeader = true;
      continue;
    }
    const tr = RE_TRAILER.exec(line);
    if (tr) {
      const v = parseInt(tr[2], 10);
      switch (tr[1]) {
        case 'Total':
          result.total = v;
          break;
        case 'Free':
          result.free = v;
          break;
        case 'CCW':
          result.ccw = v;
          break;
        case 'RCW':
          result.rcw = v;
          break;
        default:
          result.comClassFactory = v;
      }
      continue;
    }
    const e = parseEntry(line, i);
    if (e) {
      result.entries.push(e);
      continue;
    }
    result.unparsed.push(line);
  }
  if (result.entries.length > 0 && !sawHeader) warnings.push({ code: 'MissingHeader', message: 'sync block rows without the Index/SyncBlock header' });
  return result;
}
