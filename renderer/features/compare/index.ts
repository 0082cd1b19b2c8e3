// compare: the current dump against another (compareDumps), threads aligned, stacks diffed.
export { useCompare } from './compare-store';
export { CompareView, STATUS } from './compare-view';
