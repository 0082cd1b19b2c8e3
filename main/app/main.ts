// Electron main-process entry (bundled to dist/app/main.mjs, the "main" of package.json).
import { startShell } from './shell';

startShell();
