// Text from a dump is untrusted: names, paths, symbols, command lines, transcripts and the error
// messages that quote them may hold terminal escapes, other control characters and bidi controls
// (a right-to-left override makes `gpj.exe` read `exe.jpg`). React never turns such text into
// markup, but it would draw the controls: invisible, or reordering what follows. The window shows
// them the way the CLI prints them (main/cli/format.ts: `\x1b`, `\u{202e}`), so a name reads the
// same in both and the spoof is visible; <Untrusted> (components/ui) also isolates the text from
// its neighbours. Pure: unit-tested under Node.

// C0 controls but newline and tab, DEL, C1 controls, and the bidi marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const NOT_INERT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Control and bidi characters as `\xNN` / `\u{NNNN}`; newlines and tabs kept (multi-line text, tooltips). */
export function inert(text: string): string {
  return text.replace(NOT_INERT, escapeChar);
}

/** Also newlines and tabs escaped: for a label that must stay on one line (a cell, a title, a name). */
export function inertLine(text: string): string {
  return inert(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** A whole text for an editor: line ends normalized (a CRLF transcript shows no `\x0d`), the rest as `inert`. */
export function inertText(text: string): string {
  return inert(text.replace(/\r\n/g, '\n'));
}

/** True when the text holds a character `inert` would escape. */
export function isInert(text: string): boolean {
  NOT_INERT.lastIndex = 0;
  return !NOT_INERT.test(text);
}
