// Thread identities in transcript text, as the debuggers print them, so a click on one selects
// the thread: lldb `tid = 3193` and `thread #16`, gdb `LWP 3193`, SOS `OS Thread Id: 0xc79`,
// dumpscope's own `tid 3193`, `OSID c79`, `dbg:15`. Frame numbers (`#0`, `frame #3`) are not
// threads. Pure: unit-tested.

const PATTERNS: { re: RegExp; selector(m: RegExpExecArray): string }[] = [
  { re: /\btid\s*=\s*(0x[0-9a-fA-F]+|\d+)/g, selector: (m) => (m[1].startsWith('0x') ? `tid:${parseInt(m[1], 16)}` : `tid:${m[1]}`) },
  { re: /\bLWP (\d+)/g, selector: (m) => `tid:${m[1]}` },
  { re: /\btid (\d+)/g, selector: (m) => `tid:${m[1]}` },
  { re: /\bthread #(\d+)/gi, selector: (m) => `#${m[1]}` },
  { re: /\bOS Thread Id: 0x([0-9a-fA-F]+)/g, selector: (m) => `0x${m[1]}` },
  { re: /\bOSID (?:0x)?([0-9a-fA-F]+)\b/g, selector: (m) => `0x${m[1]}` },
  { re: /\bdbg:(\d+)/g, selector: (m) => `dbg:${m[1]}` },
];

export interface ThreadLink {
  /** 1-based columns, as Monaco counts them: [start, end). */
  start: number;
  end: number;
  /** What the go-to box accepts: tid:3193, #16, 0xc79, dbg:15. */
  selector: string;
}

/** Every thread identity in a line. */
export function threadLinks(line: string): ThreadLink[] {
  const out: ThreadLink[] = [];
  if (line.length > 2000) return out;
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(line); m; m = p.re.exec(line)) {
      const start = m.index + 1;
      if (!out.some((o) => start < o.end && start + m![0].length > o.start)) out.push({ start, end: start + m[0].length, selector: p.selector(m) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The identity under a 1-based column, or null. */
export function threadLinkAt(line: string, column: number): ThreadLink | null {
  return threadLinks(line).find((l) => column >= l.start && column < l.end) ?? null;
}
