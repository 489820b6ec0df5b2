#!/usr/bin/env node
// Runs the compiled CLI (dist/lib/cli/main.js), except in a development checkout of this repository, where it runs
// lib/cli/main.ts through tsx so the CLI is never stale.
//
// The published package ships lib/**/*.ts too (its source maps point there), so "the .ts file exists" does not mean
// "development checkout". A checkout is recognised by all of: the sources are present, the package does not sit
// inside a node_modules directory (installed copies always do, also with pnpm and global installs), and tsx (a
// devDependency) resolves from the package itself. Anything else runs the compiled JavaScript.
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

const root = fs.realpathSync(path.join(__dirname, '..'));
const source = path.join(root, 'lib', 'cli', 'main.ts');
const compiled = path.join(root, 'dist', 'lib', 'cli', 'main.js');

function tsxFromCheckout() {
  if (root.split(path.sep).includes('node_modules') || !fs.existsSync(source)) return undefined;
  try {
    return require.resolve('tsx/cjs', { paths: [root] });
  } catch {
    return undefined;
  }
}

const tsx = tsxFromCheckout();
let cli;
if (tsx !== undefined) {
  require(tsx);
  cli = require(source);
} else if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  console.error(`${path.basename(__filename, '.js')}: ${compiled} is missing; run "npm run build" (or "npm install" for tsx) first`);
  process.exit(1);
}
cli.run(process.argv).catch(fail);
