// The go-to box: one thread, named any way a debugger or runtime names it (DESIGN.md, "Thread
// identity"). `3193` is lldb's/gdb's decimal tid, `c79` and `0xc79` SOS's hex OSID, `#16`
// lldb's 1-based index, `dbg:15` dotnet-dump's 0-based DBG. A bare number is tried as a tid
// first, then as an OSID, and the answer says which it matched.
import { assertNever } from './errors';
import { type ThreadInfo } from './types';

export type ThreadSelector =
  | { kind: 'tid'; value: number }
  | { kind: 'osid'; value: number }
  | { kind: 'index'; value: number }
  | { kind: 'dbg'; value: number }
  /** Digits only: a decimal tid, or an OSID that happens to have no letters. */
  | { kind: 'number'; text: string };

export function parseThreadSelector(input: string): ThreadSelector | null {
  const s = input.trim().toLowerCase().replace(/\s+/g, '');
  if (!s) return null;
  let m: RegExpExecArray | null;
  if ((m = /^#(\d+)$/.exec(s)) || (m = /^(?:index|idx|lldb):#?(\d+)$/.exec(s))) return { kind: 'index', value: Number(m[1]) };
  if ((m = /^dbg:?(\d+)$/.exec(s))) return { kind: 'dbg', value: Number(m[1]) };
  if ((m = /^(?:tid|lwp|pid):?(\d+)$/.exec(s))) return { kind: 'tid', value: Number(m[1]) };
  if ((m = /^(?:osid:)?0x([0-9a-f]+)$/.exec(s)) || (m = /^osid:([0-9a-f]+)$/.exec(s))) return { kind: 'osid', value: parseInt(m[1], 16) };
  if (/^\d+$/.test(s)) return { kind: 'number', text: s };
  if ((m = /^([0-9a-f]+)$/.exec(s))) return { kind: 'osid', value: parseInt(m[1], 16) };
  return null;
}

export type GoToResult =
  | { ok: true; thread: ThreadInfo; matched: string; note?: string }
  | { ok: false; message: string };

const describe = (t: ThreadInfo) => `#${t.index} (tid ${t.tid}, OSID ${t.osid}, DBG ${t.dbg})`;

export function findThread(threads: readonly ThreadInfo[], input: string): GoToResult {
  const sel = parseThreadSelector(input);
  if (!sel) return { ok: false, message: `"${input.trim()}" is not a thread: try 3193, c79, 0xc79, #16 or dbg:15` };
  const by = (pred: (t: ThreadInfo) => boolean) => threads.find(pred);
  switch (sel.kind) {
    case 'tid': {
      const t = by((x) => x.tid === sel.value);
      return t ? { ok: true, thread: t, matched: `tid ${sel.value}` } : { ok: false, message: `no thread with tid ${sel.value}` };
    }
    case 'osid': {
      const t = by((x) => x.tid === sel.value);
      const hex = sel.value.toString(16);
      return t ? { ok: true, thread: t, matched: `OSID ${hex}` } : { ok: false, message: `no thread with OSID ${hex} (tid ${sel.value})` };
    }
    case 'index': {
      const t = by((x) => x.index === sel.value);
      return t ? { ok: true, thread: t, matched: `#${sel.value}` } : { ok: false, message: `no thread #${sel.value} (threads are #1…#${threads.length})` };
    }
    case 'dbg': {
      const t = by((x) => x.dbg === sel.value);
      return t ? { ok: true, thread: t, matched: `DBG ${sel.value}` } : { ok: false, message: `no thread with DBG ${sel.value} (DBG runs 0…${threads.length - 1})` };
    }
    case 'number': {
      const dec = Number(sel.text);
      const hex = parseInt(sel.text, 16);
      const asTid = by((x) => x.tid === dec);
      const asOsid = by((x) => x.tid === hex);
      if (asTid) {
        const note = asOsid && asOsid !== asTid ? `read as tid; as an OSID it would be ${describe(asOsid)}` : undefined;
        return { ok: true, thread: asTid, matched: `tid ${dec}`, note };
      }
      if (asOsid) return { ok: true, thread: asOsid, matched: `OSID ${sel.text}`, note: `no tid ${dec}: read as the hex OSID ${sel.text}` };
      return { ok: false, message: `no thread with tid ${dec} or OSID ${sel.text}` };
    }
    default:
      return assertNever(sel, 'thread selector');
  }
}
