// stack: threads' symbolized stacks (getStacks), the selected frame and its disassembly, the
// full-width Stack view, and threads grouped by identical stacks (pstacks).
export { useStacks, useSelectedFrame, type StackEntry } from './stack-store';
export { StackView, FrameDisassembly } from './stack-view';
export { StackTab } from './stack-tab';
export { StackGroupsView } from './stack-groups-view';
export { groupStacks, stackKey, type StackGroup } from './stack-groups';
export { HOW, STOP } from './frame-how';
