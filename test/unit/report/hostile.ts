// Untrusted text as a dump or a transcript may carry it, and checks that a rendered report
// keeps it inert. Used by the renderer unit tests and by the integration test on a real core.

export const HOSTILE = [
  '<script>alert(1)</script>',
  '</details><img src=x onerror=alert(2)>',
  'fence `` ``` ```` run',
  'a|b|c',
  '[x](javascript:alert(3))',
  'line1\nline2\r\n# heading',
  '\u001b[31mred\u0007 \u202eevil',
  '@octocat #12 https://evil.example www.evil.example',
  '"quoted" \'single\' & amp; &lt;',
  '$x$ **bold** _em_ ~~s~~ <!-- c -->',
] as const;

/** Every tag an HTML report may contain: anything else came from the dump. */
const HTML_TAGS = new Set(
  'html head meta title style body header div h1 h2 h3 dl dt dd p section span ul ol li code figure figcaption svg defs marker path g rect text i table thead tbody tr th td article details summary pre footer strong br'.split(' '),
);

export interface HtmlProblems {
  tags: string[];
  attributes: string[];
  controls: string[];
}

/** Tags not in the report's own vocabulary, event-handler or URL attributes, raw control characters. */
export function htmlProblems(html: string): HtmlProblems {
  const tags: string[] = [];
  const attributes: string[] = [];
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    if (!HTML_TAGS.has(m[1].toLowerCase())) tags.push(m[0]);
    if (/\son\w+\s*=|\s(?:src|href|xlink:href|srcset|action|formaction|background|poster)\s*=|javascript:|https?:\/\//i.test(m[2])) attributes.push(m[0]);
  }
  // eslint-disable-next-line no-control-regex
  const controls = [...html.matchAll(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/g)].map((m) => JSON.stringify(m[0]));
  return { tags, attributes, controls };
}

/** Markdown outside fenced code blocks, and the fenced blocks with their fences. */
export function splitFences(md: string): { prose: string[]; blocks: { fence: string; body: string[]; closed: boolean }[] } {
  const prose: string[] = [];
  const blocks: { fence: string; body: string[]; closed: boolean }[] = [];
  let open: { fence: string; body: string[]; closed: boolean } | null = null;
  for (const line of md.split('\n')) {
    if (open) {
      if (line === open.fence) {
        open.closed = true;
        open = null;
      } else open.body.push(line);
      continue;
    }
    const f = /^(`{3,})[\w-]*$/.exec(line);
    if (f) {
      open = { fence: f[1], body: [], closed: false };
      blocks.push(open);
    } else prose.push(line);
  }
  return { prose, blocks };
}

const MD_TAGS = /<(?:details(?: open)?|\/details|summary|\/summary|sub|\/sub)>/g;

export interface MarkdownProblems {
  prose: string[];
  blocks: string[];
}

/**
 * Prose lines with raw markup that did not come from the renderer (a `<`, a backtick, brackets,
 * a link or mention GitHub would make, pipes beyond a table's columns); fenced blocks a line could
 * close early or whose lines hold control characters.
 */
export function markdownProblems(md: string): MarkdownProblems {
  const { prose, blocks } = splitFences(md);
  const bad: string[] = [];
  let columns = -1;
  for (const line of prose) {
    // The renderer's own code spans name dumpscope commands; everything else must be escaped.
    const rest = line.replace(MD_TAGS, '').replace(/`dumpscope [a-z -]+`/g, '');
    if (/[<>`[\]\\$~]/.test(rest.replace(/^>\s/, ''))) bad.push(`markup: ${line}`);
    // (character references are text, not links: take them out first)
    if (/:\/\/|\bwww\.|@\w|#\d/i.test(rest.replace(/&#\d+;/g, ' '))) bad.push(`autolink: ${line}`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/.test(line)) bad.push(`control: ${JSON.stringify(line)}`);
    if (line.startsWith('|')) {
      const pipes = line.split('|').length - 1;
      if (columns === -1) columns = pipes;
      else if (pipes !== columns) bad.push(`table pipes: ${line}`);
    } else columns = -1;
  }
  const blockBad: string[] = [];
  for (const b of blocks) {
    if (!b.closed) blockBad.push(`unclosed ${b.fence}`);
    for (const l of b.body) {
      const run = Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length));
      if (run >= b.fence.length) blockBad.push(`backtick run ${run} >= fence ${b.fence.length}: ${l}`);
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/.test(l)) blockBad.push(`control: ${JSON.stringify(l)}`);
    }
  }
  return { prose: bad, blocks: blockBad };
}
