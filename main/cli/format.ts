// Text output for terminals. Everything that comes from a dump or a transcript is untrusted:
// control characters (terminal escape sequences among them) are shown escaped, never sent.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Makes untrusted text inert for a terminal: control and bidi characters become \xNN / \u{NNNN}. */
export function inert(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** Also escapes newlines and tabs: for table cells that must stay on one line. */
export function inertCell(text: string): string {
  return inert(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
  /** Cells longer than this are cut with an ellipsis. */
  max?: number;
}

export function table<T>(rows: readonly T[], columns: Column<T>[]): string {
  const cells = rows.map((r) =>
    columns.map((c) => {
      const v = inertCell(c.value(r));
      return c.max !== undefined && v.length > c.max ? `${v.slice(0, c.max - 1)}…` : v;
    }),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const fmt = (vals: string[]) =>
    vals
      .map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : i === vals.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(columns.map((c) => c.header)), ...cells.map(fmt)].join('\n') + '\n';
}

// Characters JSON.stringify leaves raw that a terminal acts on or that reorder text: DEL, the C1
// controls (U+009B is an 8-bit CSI), bidi controls, and the line/paragraph separators.
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** A JSON document for stdout: the same values, with those characters written as \uXXXX escapes. */
export function jsonText(doc: unknown): string {
  return JSON.stringify(doc, null, 2).replace(JSON_UNSAFE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`) + '\n';
}
