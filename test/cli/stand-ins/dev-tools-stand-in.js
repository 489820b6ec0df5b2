#!/usr/bin/env node
// STAND-IN for the programs `cdktf-azure-webpubsub dev` runs from PATH — NOT Azure Functions Core Tools, the Web PubSub
// tunnel tool or the Web PubSub emulator: linked into a temp directory as `func`, `awps-tunnel` and `awps-emulator`,
// it appends what it was started with and every signal it gets to $STAND_IN_LOG (one JSON object per line), so a test
// can check the invocations and that Ctrl-C stops them. `func` also starts a worker child in its process group, as
// Core Tools starts the Node worker; `awps-emulator` reads appsettings.json from its working directory and answers
// `HEAD /api/health` on the port of its `Urls` variable, as the emulator's README documents. STAND_IN_EXIT=<name> makes
// that program exit with code 3 once func's worker has started (so the test knows what was running).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const worker = process.argv[2] === '--worker';
const name = worker ? 'func-worker' : path.basename(process.argv[1]);
const record = (event, extra = {}) => fs.appendFileSync(process.env.STAND_IN_LOG, `${JSON.stringify({ name, event, pid: process.pid, ...extra })}\n`);

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    record(signal);
    process.exit(0);
  });
}

if (worker) {
  record('start');
} else {
  // Which sign-in variables it was handed (names only), so a test can check dev keeps a service principal to itself.
  const credentialVariables = Object.keys(process.env).filter((k) => /^(AZURE_CLIENT_|AZURE_FEDERATED|ARM_CLIENT_|ARM_OIDC_|ACTIONS_ID_TOKEN_)/.test(k)).sort();
  const extra = { args: process.argv.slice(2), cwd: process.cwd(), pgid: undefined, credentialVariables, tenant: process.env.AZURE_TENANT_ID };
  if (name === 'awps-emulator') {
    extra.appsettings = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'appsettings.json'), 'utf8'));
    extra.urls = process.env.Urls;
    const port = Number(new URL(process.env.Urls).port);
    http
      .createServer((req, res) => {
        record('request', { method: req.method, url: req.url });
        res.statusCode = req.method === 'HEAD' && req.url === '/api/health' ? 200 : 404;
        res.end();
      })
      .listen(port, 'localhost');
  }
  if (name === 'func') {
    extra.localSettings = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'local.settings.json'), 'utf8'));
    spawn(process.execPath, [__filename, '--worker'], { stdio: 'inherit' });
  }
  record('start', extra);
  console.log(`${name} stand-in running`);
  if (process.env.STAND_IN_EXIT === name) {
    const poll = setInterval(() => {
      if (fs.readFileSync(process.env.STAND_IN_LOG, 'utf8').includes('"name":"func-worker","event":"start"')) {
        clearInterval(poll);
        process.exit(3);
      }
    }, 50);
  }
}
setInterval(() => undefined, 1000);
