#!/usr/bin/env node
// In this repository (TypeScript sources present): runs lib/cli/main.ts through tsx, so it is never stale.
// Installed package (only dist/ is published): runs the compiled dist/lib/cli/main.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// Whatever escapes the command (an error event nobody handled, a rejected promise): one line, exit 1, no stack trace.
function fail(err) {
  const message = err instanceof Error ? err.message : String(err);
  if (process.env.CDKTF_AZURE_WEBPUBSUB_DEBUG) console.error(err);
  else console.error(`error: ${message.split('\n')[0]} (unexpected: set CDKTF_AZURE_WEBPUBSUB_DEBUG=1 for details)`);
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const root = path.join(__dirname, '..');
const source = path.join(root, 'lib', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require('tsx/cjs');
  cli = require(source);
} else {
  cli = require(path.join(root, 'dist', 'lib', 'cli', 'main.js'));
}
cli.run(process.argv).catch(fail);
