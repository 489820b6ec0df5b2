#!/usr/bin/env node
// In this repository (TypeScript sources present): runs lib/cli/main.ts through tsx, so it is never stale.
// Installed package (only dist/ is published): runs the compiled dist/lib/cli/main.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'lib', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require('tsx/cjs');
  cli = require(source);
} else {
  cli = require(path.join(root, 'dist', 'lib', 'cli', 'main.js'));
}
cli.run(process.argv).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
