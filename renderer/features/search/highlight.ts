// Splits text around case-insensitive occurrences of a query, for highlighting; picks the line of
// a multi-line hit (a transcript chunk) that holds the match. Pure.

/** The first line of `text` that contains `query` (case-insensitive), or the first line. */
export function matchingLine(text: string, query: string): string {
  const q = query.trim().toLowerCase();
  const lines = text.split('\n');
  return (q ? lines.find((l) => l.toLowerCase().includes(q)) : undefined) ?? lines[0] ?? '';
}

export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  const q = query.trim().toLowerCase();
  if (!q) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const out: { text: string; match: boolean }[] = [];
  let i = 0;
  for (let at = lower.indexOf(q); at >= 0 && out.length < 200; at = lower.indexOf(q, at + q.length)) {
    if (at > i) out.push({ text: text.slice(i, at), match: false });
    out.push({ text: text.slice(at, at + q.length), match: true });
    i = at + q.length;
  }
  if (i < text.length) out.push({ text: text.slice(i), match: false });
  return out;
}
