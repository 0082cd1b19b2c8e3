// The renderer's build: React + Monaco bundled into dist/renderer with relative URLs, served by
// `dumpscope serve` over http://127.0.0.1 and by the desktop shell over app://dumpscope.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    // Files only, never data: URLs: the CSP allows data: for images, not for fonts or scripts.
    assetsInlineLimit: 0,
    // Monaco alone is ~4 MB; it loads lazily with the Transcript view.
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
});
