// dumps: the library of indexed dumps, the current dump, opening (with progress) and removing.
export { useDumps, type OpenJob, type OpenFailure } from './dumps-store';
export { DumpsView } from './dumps-view';
export { OpenDialog } from './open-dialog';
export { JobProgress } from './job-progress';
export { FileBrowser, useDirectory } from './file-browser';
export { DumpStatusBadge, DUMP_STATUS } from './dump-status';
