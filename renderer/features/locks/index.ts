// locks: the wait-for graph's verdict (getLocks) and the selected thread's wait.
export { useLocks } from './locks-store';
export { VerdictBanner } from './verdict-banner';
export { WaitSection } from './wait-section';
