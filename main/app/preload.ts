// Preload of every window (bundled to dist/app/preload.cjs: sandboxed preloads must be
// CommonJS and may require only 'electron'). Exposes window.dumpscope and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadBridge } from './preload-bridge';

contextBridge.exposeInMainWorld(
  'dumpscope',
  createPreloadBridge(ipcRenderer, (file) => webUtils.getPathForFile(file as File)),
);
