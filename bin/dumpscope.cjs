#!/usr/bin/env node
// Thin launcher: the CLI is built to dist/cli.mjs (npm ci / npm install build it).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');

// `dumpscope bt core | head`: a reader that goes away is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
    throw e;
  });
}

const entry = path.join(__dirname, '..', 'dist', 'cli.mjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('dumpscope: not built yet: run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(1);
}
import(pathToFileURL(entry).href)
  .then((m) => m.main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e) => {
    process.stderr.write('dumpscope: internal error: ' + (e && e.message ? e.message : String(e)) + '\n');
    process.exitCode = 2;
  });
