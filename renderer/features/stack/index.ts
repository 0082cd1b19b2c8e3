// stack: one thread's symbolized stack (getStacks), frames marked by how they were found.
export { useStacks } from './stack-store';
export { StackView } from './stack-view';
