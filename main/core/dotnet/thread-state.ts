// SOS prints CoreCLR's Thread::m_State raw in the State column of clrthreads (e.g. 1021222).
// Here it becomes names and words.
//
// Folklore, written down: the bit values come from `enum ThreadState` in CoreCLR's threads.h, and
// a few bits changed meaning over the years. Two layouts were read:
//   'coreclr' — dotnet/coreclr src/vm/threads.h at commit 007fa10999f3b4ee6bfccadbf6052ca28982e3c1
//               (the .NET Core 2.x/3.x era, the runtime in the seed article).
//   'runtime' — dotnet/runtime src/coreclr/vm/threads.h at commit 017f8af492571623bf9a351fcefbecacf8f6744b
//               (current). An intermediate dotnet/runtime version (also described in
//               docs/design/datacontracts/Thread.md) still had TS_GCSuspendPending = 0x2 and
//               TS_TaskReset = 0x40000 alongside TS_GCSuspendRedirected = 0x4.
// Bits that differ between the two: 0x2, 0x4, 0x40, 0x100, 0x40000, 0x400000, 0x800000. When the
// caller does not say which runtime produced the dump, those bits are reported as uncertain, with
// both meanings. Example: the article's thread c79 has State 1021222; its 0x2 bit under the
// 'coreclr' layout is TS_GCSuspendPending — the runtime's suspension is waiting for that
// thread, which is the deadlock.

import { type DecodedThreadState, type ThreadStateFlag, type ThreadStateLayout } from './types';

interface BitInfo {
  coreclr: string | null;
  runtime: string | null;
}

const BITS: ReadonlyArray<readonly [number, BitInfo]> = [
  [0x00000001, { coreclr: 'TS_AbortRequested', runtime: 'TS_AbortRequested' }],
  [0x00000002, { coreclr: 'TS_GCSuspendPending', runtime: null }],
  [0x00000004, { coreclr: 'TS_UserSuspendPending', runtime: 'TS_GCSuspendRedirected' }],
  [0x00000008, { coreclr: 'TS_DebugSuspendPending', runtime: 'TS_DebugSuspendPending' }],
  [0x00000010, { coreclr: 'TS_GCOnTransitions', runtime: 'TS_GCOnTransitions' }],
  [0x00000020, { coreclr: 'TS_LegalToJoin', runtime: 'TS_LegalToJoin' }],
  [0x00000040, { coreclr: 'TS_YieldRequested', runtime: 'TS_ExecutingOnAltStack' }],
  [0x00000080, { coreclr: 'TS_Hijacked', runtime: 'TS_Hijacked' }],
  [0x00000100, { coreclr: 'TS_BlockGCForSO', runtime: null }],
  [0x00000200, { coreclr: 'TS_Background', runtime: 'TS_Background' }],
  [0x00000400, { coreclr: 'TS_Unstarted', runtime: 'TS_Unstarted' }],
  [0x00000800, { coreclr: 'TS_Dead', runtime: 'TS_Dead' }],
  [0x00001000, { coreclr: 'TS_WeOwn', runtime: 'TS_WeOwn' }],
  [0x00002000, { coreclr: 'TS_CoInitialized', runtime: 'TS_CoInitialized' }],
  [0x00004000, { coreclr: 'TS_InSTA', runtime: 'TS_InSTA' }],
  [0x00008000, { coreclr: 'TS_InMTA', runtime: 'TS_InMTA' }],
  [0x00010000, { coreclr: 'TS_ReportDead', runtime: 'TS_ReportDead' }],
  [0x00020000, { coreclr: 'TS_FullyInitialized', runtime: 'TS_FullyInitialized' }],
  [0x00040000, { coreclr: 'TS_TaskReset', runtime: null }],
  [0x00080000, { coreclr: 'TS_SyncSuspended', runtime: 'TS_SyncSuspended' }],
  [0x00100000, { coreclr: 'TS_DebugWillSync', runtime: 'TS_DebugWillSync' }],
  [0x00200000, { coreclr: 'TS_StackCrawlNeeded', runtime: 'TS_StackCrawlNeeded' }],
  [0x00400000, { coreclr: 'TS_SuspendUnstarted', runtime: null }],
  [0x00800000, { coreclr: 'TS_Aborted', runtime: null }],
  [0x01000000, { coreclr: 'TS_TPWorkerThread', runtime: 'TS_TPWorkerThread' }],
  [0x02000000, { coreclr: 'TS_Interruptible', runtime: 'TS_Interruptible' }],
  [0x04000000, { coreclr: 'TS_Interrupted', runtime: 'TS_Interrupted' }],
  [0x08000000, { coreclr: 'TS_CompletionPortThread', runtime: 'TS_CompletionPortThread' }],
  [0x10000000, { coreclr: 'TS_AbortInitiated', runtime: 'TS_AbortInitiated' }],
  [0x20000000, { coreclr: 'TS_Finalized', runtime: 'TS_Finalized' }],
  [0x40000000, { coreclr: 'TS_FailStarted', runtime: 'TS_FailStarted' }],
  [0x80000000, { coreclr: 'TS_Detached', runtime: 'TS_Detached' }],
];

const WORDS: Readonly<Record<string, string>> = {
  TS_AbortRequested: 'abort requested',
  TS_GCSuspendPending: 'GC suspension pending (the runtime waits for this thread to leave cooperative mode)',
  TS_GCSuspendRedirected: 'redirected for GC suspension',
  TS_UserSuspendPending: 'user suspension pending',
  TS_DebugSuspendPending: 'debugger suspension pending',
  TS_GCOnTransitions: 'GC on transitions (GC stress)',
  TS_LegalToJoin: 'legal to join',
  TS_YieldRequested: 'yield requested',
  TS_ExecutingOnAltStack: 'executing on an alternate stack',
  TS_Hijacked: 'return address hijacked for GC',
  TS_BlockGCForSO: 'blocking GC (low stack)',
  TS_Background: 'background',
  TS_Unstarted: 'unstarted',
  TS_Dead: 'dead',
  TS_WeOwn: 'created by the runtime',
  TS_CoInitialized: 'COM initialized',
  TS_InSTA: 'STA',
  TS_InMTA: 'MTA',
  TS_ReportDead: 'reported dead',
  TS_FullyInitialized: 'fully initialized',
  TS_TaskReset: 'task reset',
  TS_SyncSuspended: 'suspended',
  TS_DebugWillSync: 'debugger will sync',
  TS_StackCrawlNeeded: 'stack crawl needed',
  TS_SuspendUnstarted: 'suspend latched before start',
  TS_Aborted: 'aborted',
  TS_TPWorkerThread: 'threadpool worker',
  TS_Interruptible: 'in Sleep/Wait/Join',
  TS_Interrupted: 'interrupted',
  TS_CompletionPortThread: 'completion port thread',
  TS_AbortInitiated: 'abort initiated',
  TS_Finalized: 'Thread object finalized',
  TS_FailStarted: 'failed to start',
  TS_Detached: 'detached',
};

// Bits present on nearly every thread: decoded, but not worth a word in the summary.
const QUIET = new Set(['TS_LegalToJoin', 'TS_FullyInitialized', 'TS_WeOwn']);

function wordOf(name: string): string {
  return WORDS[name] ?? name;
}

/** Decodes a clrthreads State value (a number, or hex text with or without 0x). */
export function decodeThreadState(state: number | string, layout: ThreadStateLayout = 'unknown'): DecodedThreadState {
  let value: number;
  if (typeof state === 'number') value = state >>> 0;
  else {
    const t = state.trim().replace(/^0x/i, '');
    value = /^[0-9a-fA-F]{1,8}$/.test(t) ? parseInt(t, 16) >>> 0 : 0;
  }
  const flags: ThreadStateFlag[] = [];
  let known = 0;
  for (const [bit, info] of BITS) {
    if ((value & bit) >>> 0 === 0) continue;
    known = (known | bit) >>> 0;
    const same = info.coreclr === info.runtime;
    if (same || layout !== 'unknown') {
      const name = (layout === 'runtime' ? info.runtime : info.coreclr) ?? `unused bit 0x${bit.toString(16)}`;
      flags.push({ bit, name, word: wordOf(name), certain: true, alternatives: [] });
      continue;
    }
    const name = info.coreclr ?? info.runtime ?? `bit 0x${bit.toString(16)}`;
    const other = info.coreclr === null ? null : info.runtime;
    flags.push({
      bit,
      name,
      word: wordOf(name),
      certain: false,
      alternatives: [other === null ? 'unused in current dotnet/runtime' : `${other} in current dotnet/runtime`],
    });
  }
  const words = flags.filter((f) => !QUIET.has(f.name) && !f.name.startsWith('unused')).map((f) => (f.certain ? f.word : `${f.word}?`));
  return { value, hex: '0x' + value.toString(16), layout, flags, words, unknownBits: (value & ~known) >>> 0 };
}
