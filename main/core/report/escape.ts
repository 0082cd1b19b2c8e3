// Making untrusted text inert. Thread names, symbols, file paths and transcript lines come from
// the dump (or a debugger's output) and may hold `<script>`, `</details>`, backticks, pipes,
// `[x](javascript:…)`, newlines or terminal escapes. Each output format has one function here
// and every piece of dump text goes through it; nothing else writes dump text into a report.
import { oneLine } from '../compare';

/** Longest piece of dump text a report shows (a hostile 1 MB symbol name is cut, visibly). */
export const MAX_TEXT = 2000;

/** Cuts text to `max` characters, saying so with an ellipsis. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute value: `& < > " '` escaped, control characters shown. */
export function escapeHtml(text: string): string {
  return oneLine(clip(text)).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Like escapeHtml for a block of lines (a transcript in <pre>): newlines and tabs kept, other controls shown. */
export function escapeHtmlLines(text: string, max = 20_000): string {
  return clip(text.replace(/\r\n?/g, '\n'), max)
    .replace(CONTROL_BUT_LINES, (c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    })
    .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

// Characters Markdown (GitHub Flavored) gives a meaning to anywhere in a line, plus HTML's
// (`$` opens GitHub's math; `(` only means something after `]`, which is escaped). They become numeric character references, which CommonMark always
// reads as literal text — in paragraphs, table cells and raw HTML (<summary>) alike, where a
// backslash escape would show. `- + = # > .` only mean something at the start of a line.
const MD_TOKEN = /:\/\/|\bwww\.|#(?=\d)|@|[&<>`*_[\]\\|~$]|^(?:[-+=#>]|\d+\.)/gi;
const WORD_JOINER = '&#8288;';

const ref = (c: string) => `&#${c.codePointAt(0)};`;

/**
 * Text for a Markdown paragraph, list item, table cell or `<summary>`: one line, every Markdown
 * and HTML control character as a character reference, and GitHub's autolinks broken with an
 * invisible word joiner (`@name` would mention a user, `#12` link an issue, `https://` and
 * `www.` become links). One pass, so no replacement is escaped twice.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(clip(text)).replace(MD_TOKEN, (m: string, offset: number, all: string) => {
    if (m === '://') return `:${WORD_JOINER}//`;
    if (m.toLowerCase() === 'www.') return `${m.slice(0, 3)}${WORD_JOINER}.`;
    if (m === '@') return `@${WORD_JOINER}`;
    if (m === '#') return `${offset === 0 ? ref(m) : m}${/\d/.test(all.charAt(offset + 1)) ? WORD_JOINER : ''}`;
    if (/^\d+\.$/.test(m)) return `${m.slice(0, -1)}&#46;`;
    return ref(m);
  });
}

/** A fence for a fenced code block around `content`: longer than any run of backticks in it. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A fenced code block whose lines are dump text (each already one line). */
export function fencedCode(lines: readonly string[], info = 'text'): string {
  const body = lines.map((l) => oneLine(clip(l))).join('\n');
  const fence = fenceFor(body);
  return `${fence}${info}\n${body}\n${fence}`;
}

/** A file name safe on every system: letters, digits, dot, dash, underscore. */
export function safeFileName(text: string, max = 40): string {
  const s = text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, max);
  return s.length > 0 ? s : 'dump';
}

/** JSON that stays inert when pasted into HTML or a script: `<`, `>`, `&`, U+2028/9 as \u escapes. */
export function inertJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
