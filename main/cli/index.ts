// The CLI entry bundled to dist/cli.mjs; bin/dumpscope.cjs imports it.
export { main, ExitCode, type CliIo } from './main';
