import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // The Electron binary is absent on build machines; code under test that imports
    // 'electron' gets a stub that records calls (see test/helpers/electron-stub.ts).
    alias: { electron: fileURLToPath(new URL('./test/helpers/electron-stub.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['./test/helpers/global-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
