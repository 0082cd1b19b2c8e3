// The go-to box's parser lives in shared/ so the CLI (`--thread`) and the transcript console
// (`setthread`) read identities exactly as the UI does.
export { parseThreadSelector, findThread, type ThreadSelector, type GoToResult } from '../../../shared/thread-selector';
