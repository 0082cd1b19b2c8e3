// compare: two dumps of one process, thread by thread.
// Takes, for each dump, what the API serves (summary, threads, stacks, lock graph, modules) and
// produces a DumpComparison: each thread stuck, progressed (with where its stacks part), new or
// exited; wait-for edges present in both (persistent blockers); cycles present in both
// (confirmed deadlocks); whether the dumps are of one process; a verdict in words. Pure
// functions over shared/ types, so any door (service, capture, report, UI) gets the same answer.
export { compareDumps, type CompareSide, type CompareThread } from './compare-dumps';
export { compareProcessIdentity, type IdentitySide } from './process-identity';
export { divergenceOf, samePcs, stackPcs } from './stack-diff';
export { frameLine, frameName, oneLine, symbolicKey } from './frame-lines';
export { formatDuration, intervalBetween } from './interval';
export { waitTriples, cycleKey, type WaitTriple } from './lock-edges';
export { andList } from './verdict';
