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
  console.error(`cdktf-azure-webpubsub: ${compiled} is missing; run "npm run build" (or "npm install" for tsx) first`);
  process.exit(1);
}
cli.run(process.argv).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
