// test/smoke.js - run by editors/test.sh after `npm ci && npm run compile`.
// 1. Loads out/extension.js with stand-ins for the 'vscode' module and
//    the LanguageClient class, activates it, and checks that it starts
//    `charcheck lsp` for the language 'char' with the configured delay.
// 2. Drives the real server through vscode-jsonrpc, the JSON-RPC library
//    under vscode-languageclient: initialize, open a broken model, the
//    diagnostic on its line, shutdown, exit with status 0.
// Usage: node test/smoke.js CHARCHECK MODEL.char
'use strict';
const Module = require('module');
const path = require('path');
const cp = require('child_process');
const fs = require('fs');

const [charcheck, model] = process.argv.slice(2);
let failed = 0;
function check(name, ok, detail) {
  console.log((ok ? 'ok    ' : 'FAIL  ') + name +
    (ok || detail === undefined ? '' : ': ' + detail));
  if (!ok) failed++;
}

async function activation() {
  const made = [];
  class FakeClient {
    constructor(id, name, server, client) {
      made.push({ id, name, server, client, started: false });
    }
    start() { made[made.length - 1].started = true; return Promise.resolve(); }
    stop() { return Promise.resolve(); }
    dispose() {}
  }
  const vscode = {
    workspace: {
      getConfiguration: () => ({ get: (k, d) => (k === 'checkDelayMs' ? 250 : d) }),
    },
  };
  const load = Module._load;
  Module._load = function (req, parent, isMain) {
    if (req === 'vscode') return vscode;
    if (req === 'vscode-languageclient/node') return { LanguageClient: FakeClient };
    return load.call(this, req, parent, isMain);
  };
  const ext = require(path.join(__dirname, '..', 'out', 'extension.js'));
  Module._load = load;
  const ctx = { subscriptions: [] };
  await ext.activate(ctx);
  const c = made[0];
  check('activate starts one client', made.length === 1 && c.started);
  check('the server is `charcheck lsp`', c && c.server.command === 'charcheck' &&
    JSON.stringify(c.server.args) === '["lsp"]', c && JSON.stringify(c.server));
  check('for the language char, with checkDelayMs from the settings',
    c && JSON.stringify(c.client.documentSelector) === '[{"language":"char"}]' &&
    c.client.initializationOptions.checkDelayMs === 250,
    c && JSON.stringify(c.client));
  await ext.deactivate();
}

async function protocol() {
  const rpc = require('vscode-jsonrpc/node');
  const proc = cp.spawn(charcheck, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((res) => proc.on('exit', (code) => res(code)));
  const conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const diags = new Promise((res) =>
    conn.onNotification('textDocument/publishDiagnostics', (p) => res(p)));
  conn.listen();
  const init = await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: null, capabilities: {},
    initializationOptions: { checkDelayMs: -1 },
  });
  check('initialize: hover and formatting announced',
    init.capabilities.hoverProvider === true &&
    init.capabilities.documentFormattingProvider === true);
  await conn.sendNotification('initialized', {});
  const text = fs.readFileSync(model, 'utf8').replace(
    'watched == no      -> sabotage', 'wached == no      -> sabotage');
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: 'file:///w/seed.char', languageId: 'char', version: 1, text },
  });
  const p = await diags;
  const d = p.diagnostics[0];
  check('the error on its line', d && d.range.start.line === 62 &&
    d.range.start.character === 2 && d.message === "unknown feature 'wached'",
    JSON.stringify(d));
  let code;
  try {
    await conn.sendRequest('textDocument/nonsense', {});
  } catch (e) {
    code = e.code;
  }
  check('unknown method: MethodNotFound', code === -32601, code);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  check('exit status 0', (await exited) === 0);
  conn.dispose();
}

(async () => {
  await activation();
  await protocol();
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.log('FAIL  ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
