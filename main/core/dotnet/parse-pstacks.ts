// SOS `pstacks` / `parallelstacks`: call stacks merged into trees.
//
// How SOS prints it (dotnet/diagnostics, ParallelStacks.Runtime/RendererHelpers.cs): each root
// is introduced by a line of underscores; a node prints its children first, then its own frame
// as "{5 spaces per level}{count right-aligned in 5} {frame}"; a leaf first prints
// " ~~~~ {thread ids}" (the first few, then "..."). So the text reads innermost frame first, and
// read bottom-up it is a pre-order walk from the root. We rebuild the tree from the counts, not
// from the indentation: a node is complete once its children account for all its threads.
//
// ________________________________________________
//  ~~~~ c79
//     1 Datadog.Trace.Agent.Api+<SendTracesAsync>d__9.MoveNext()
//     1 System.Threading._ThreadPoolWaitCallback.PerformWaitCallback()
//
// ==> 2 threads with 2 roots

import { normalizeOsid } from './text';
import { type ParseWarning, type PstacksNode, type PstacksResult, type PstacksStack } from './types';

const RE_RULE = /^\s*_{10,}\s*$/;
const RE_TIDS = /^(\s*)~~~~\s?(.*)$/;
const RE_FRAME = /^(\s*)(\d+) (\S.*)$/;
const RE_SUMMARY = /^\s*==> (\d+) threads? with (\d+) roots?/;

/**
 * Deepest tree we build. A stack overflow prints thousands of frames; nested one level per frame
 * that tree would be too deep for JSON.stringify (which the index, HTTP and IPC all use), so the
 * frames below this depth are counted on the deepest node instead.
 */
export const MAX_PSTACKS_DEPTH = 1000;

interface Item {
  kind: 'frame' | 'tids';
  count: number;
  text: string;
  line: number;
}

function parseThreadIds(text: string): { ids: string[]; truncated: boolean } {
  let t = text.trim();
  let truncated = false;
  if (t.endsWith('...')) {
    truncated = true;
    t = t.slice(0, -3);
  }
  const ids: string[] = [];
  for (const part of t.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const osid = normalizeOsid(p);
    ids.push(osid ?? p);
  }
  return { ids, truncated };
}

/** Builds one root's tree from its items in printed order. */
function buildRoot(items: Item[], warnings: ParseWarning[]): PstacksNode | null {
  if (items.length === 0) return null;
  // Read bottom-up: root frame first; a "~~~~" item closes the leaf above it.
  const path: { node: PstacksNode; covered: number }[] = [];
  let root: PstacksNode | null = null;
  for (let k = items.length - 1; k >= 0; k--) {
    const item = items[k];
    if (item.kind === 'tids') {
      // In reversed order the ~~~~ line comes right after its leaf frame.
      const top = path.pop();
      if (!top) {
        warnings.push({ code: 'UnparsedLine', message: 'thread list with no frame', line: item.line });
        continue;
      }
      const { ids, truncated } = parseThreadIds(item.text);
      top.node.threadIds = ids;
      top.node.threadIdsTruncated = truncated;
      let done = top.node.count;
      // Credit the finished leaf to its ancestors; pop those now complete.
      while (path.length > 0) {
        const parent = path[path.length - 1];
        parent.covered += done;
        if (parent.covered >= parent.node.count) {
          done = parent.node.count;
          path.pop();
          // Its own parent is credited on the next turn of the loop.
          continue;
        }
        break;
      }
      continue;
    }
    if (path.length >= MAX_PSTACKS_DEPTH) {
      const deepest = path[path.length - 1].node;
      if (!deepest.framesOmitted) warnings.push({ code: 'UnparsedLine', message: `stack deeper than ${MAX_PSTACKS_DEPTH} frames: the inner frames are counted, not kept`, line: item.line });
      deepest.framesOmitted = (deepest.framesOmitted ?? 0) + 1;
      continue;
    }
    const node: PstacksNode = { frame: item.text, count: item.count, threadIds: [], threadIdsTruncated: false, children: [], line: item.line };
    if (path.length === 0) {
      if (root === null) root = node;
      else {
        // A second chain in the same root section: keep it as a sibling under the first root.
        warnings.push({ code: 'UnparsedLine', message: 'frames after a completed root; attached to the root', line: item.line });
        root.children.unshift(node);
      }
    } else {
      path[path.length - 1].node.children.unshift(node);
    }
    path.push({ node, covered: 0 });
  }
  return root;
}

function collectStacks(node: PstacksNode, trail: string[], out: PstacksStack[], depth: number): void {
  if (depth > 10_000) return;
  const frames = [node.frame, ...trail];
  if (node.children.length === 0) {
    out.push({ threadIds: node.threadIds, threadIdsTruncated: node.threadIdsTruncated, count: node.count, frames });
    return;
  }
  for (const child of node.children) collectStacks(child, frames, out, depth + 1);
}

/** Parses `pstacks` output. */
export function parsePstacks(lines: readonly string[]): PstacksResult {
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  const roots: PstacksNode[] = [];
  let threadCount: number | null = null;
  let rootCount: number | null = null;
  let items: Item[] = [];
  const flush = (): void => {
    const root = buildRoot(items, warnings);
    if (root) roots.push(root);
    items = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (RE_RULE.test(line)) {
      flush();
      continue;
    }
    const s = RE_SUMMARY.exec(line);
    if (s) {
      flush();
      threadCount = parseInt(s[1], 10);
      rootCount = parseInt(s[2], 10);
      continue;
    }
    const t = RE_TIDS.exec(line);
    if (t) {
      items.push({ kind: 'tids', count: 0, text: t[2], line: i });
      continue;
    }
    const f = RE_FRAME.exec(line);
    if (f) {
      items.push({ kind: 'frame', count: parseInt(f[2], 10), text: f[3].trim(), line: i });
      continue;
    }
    unparsed.push(line);
  }
  flush();
  const stacks: PstacksStack[] = [];
  for (const r of roots) collectStacks(r, [], stacks, 0);
  if (rootCount !== null && rootCount !== roots.length) {
    warnings.push({ code: 'CountMismatch', message: `summary says ${rootCount} roots, ${roots.length} parsed` });
  }
  if (threadCount !== null) {
    const total = roots.reduce((a, r) => a + r.count, 0);
    if (total !== threadCount) warnings.push({ code: 'CountMismatch', message: `summary says ${threadCount} threads, roots count ${total}` });
  }
  return { roots, stacks, threadCount, rootCount, warnings, unparsed };
}
