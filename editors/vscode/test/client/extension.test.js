// The compiled client (out/extension.js) against a stand-in for the VS Code API and for
// vscode-languageclient: which server it starts, with which command line, for which
// documents, and what the settings change. Run by `npm run test:client` (node:test).
"use strict";
const assert = require("node:assert/strict");
const Module = require("node:module");
const path = require("node:path");
const { test, beforeEach } = require("node:test");
const { minimatch } = require("minimatch");

const state = {};

function reset() {
  state.settings = { path: "classadlint", args: [], configFiles: [] };
  state.documents = [];
  state.clients = [];
  state.errors = [];
  state.commands = {};
  state.openListeners = [];
  state.configListeners = [];
  state.languageChanges = [];
  state.startFails = false;
}

class FakeLanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, running: false });
    state.clients.push(this);
  }
  async start() {
    if (state.startFails) {
      throw new Error("spawn classadlint ENOENT");
    }
    this.running = true;
  }
  async stop() {
    this.running = false;
  }
}

const vscode = {
  workspace: {
    get textDocuments() {
      return state.documents;
    },
    getConfiguration(section) {
      assert.equal(section, "classadlint");
      return { get: (key, fallback) => (key in state.settings ? state.settings[key] : fallback) };
    },
    onDidOpenTextDocument(listener) {
      state.openListeners.push(listener);
      return { dispose() {} };
    },
    onDidChangeConfiguration(listener) {
      state.configListeners.push(listener);
      return { dispose() {} };
    },
    createFileSystemWatcher(glob) {
      return { glob, dispose() {} };
    },
  },
  window: {
    createOutputChannel: (name) => ({ name, show() {}, dispose() {} }),
    async showErrorMessage(message) {
      state.errors.push(message);
      return undefined;
    },
  },
  commands: {
    registerCommand(id, handler) {
      state.commands[id] = handler;
      return { dispose() {} };
    },
    async executeCommand() {},
  },
  languages: {
    match(selector, document) {
      return minimatch(document.uri.fsPath, selector.pattern, { dot: true }) ? 10 : 0;
    },
    async setTextDocumentLanguage(document, languageId) {
      state.languageChanges.push([document.uri.fsPath, languageId]);
      document.languageId = languageId;
      return document;
    },
  },
};

const stubs = {
  vscode,
  "vscode-languageclient/node": { LanguageClient: FakeLanguageClient, TransportKind: { stdio: 0 } },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in stubs ? stubs[request] : load.call(this, request, ...rest);
};

const extensionPath = path.join(__dirname, "..", "..", "out", "extension.js");

function freshExtension() {
  delete require.cache[require.resolve(extensionPath)];
  return require(extensionPath);
}

function doc(fsPath, languageId) {
  return { uri: { scheme: "file", fsPath }, languageId };
}

const context = () => ({ subscriptions: [] });

beforeEach(reset);

test("no server until an HTCondor or ClassAd document is open", async () => {
  const ext = freshExtension();
  state.documents = [doc("/src/main.py", "python")];
  await ext.activate(context());
  assert.equal(state.clients.length, 0);

  const config = doc("/etc/condor/condor_config", "htcondor-config");
  await Promise.all(state.openListeners.map((l) => l(config)));
  assert.equal(state.clients.length, 1);
  const [client] = state.clients;
  assert.equal(client.running, true);
  assert.equal(client.serverOptions.run.command, "classadlint");
  assert.deepEqual(client.serverOptions.run.args, ["lsp"]);
  assert.equal(client.serverOptions.run.transport, 0); // stdio
  const languages = new Set(client.clientOptions.documentSelector.map((s) => s.language));
  assert.deepEqual([...languages].sort(), ["classad", "htcondor-config"]);

  // a second document reuses the running server
  await Promise.all(state.openListeners.map((l) => l(doc("/jobs/job.ad", "classad"))));
  assert.equal(state.clients.length, 1);
  await ext.deactivate();
  assert.equal(client.running, false);
});

test("classadlint.path and classadlint.args make the command line", async () => {
  const ext = freshExtension();
  state.settings.path = "/opt/pool/.venv/bin/classadlint";
  state.settings.args = ["--log-file", "/tmp/lsp.log"];
  state.documents = [doc("/pool/job.classad", "classad")];
  await ext.activate(context());
  assert.equal(state.clients.length, 1);
  assert.equal(state.clients[0].serverOptions.run.command, "/opt/pool/.venv/bin/classadlint");
  assert.deepEqual(state.clients[0].serverOptions.run.args, [
    "lsp",
    "--log-file",
    "/tmp/lsp.log",
  ]);
  await ext.deactivate();
});

test("changing the path restarts the server with the new command", async () => {
  const ext = freshExtension();
  state.documents = [doc("/etc/condor/condor_config.local", "htcondor-config")];
  await ext.activate(context());
  state.settings.path = "/usr/local/bin/classadlint";
  const event = { affectsConfiguration: (key) => key === "classadlint.path" };
  await Promise.all(state.configListeners.map((l) => l(event)));
  assert.equal(state.clients.length, 2);
  assert.equal(state.clients[0].running, false);
  assert.equal(state.clients[1].running, true);
  assert.equal(state.clients[1].serverOptions.run.command, "/usr/local/bin/classadlint");
  await ext.deactivate();
});

test("classadlint.configFiles opens matching files as HTCondor config", async () => {
  const ext = freshExtension();
  state.settings.configFiles = ["**/pool-config/*"];
  const policy = doc("/repo/pool-config/policy", "plaintext");
  const other = doc("/repo/notes/policy", "plaintext");
  state.documents = [policy, other];
  await ext.activate(context());
  assert.deepEqual(state.languageChanges, [["/repo/pool-config/policy", "htcondor-config"]]);
  assert.equal(other.languageId, "plaintext");
  assert.equal(state.clients.length, 1); // the re-associated file starts the server
  await ext.deactivate();
});

test("a server that does not start is reported with the setting to fix", async () => {
  const ext = freshExtension();
  state.startFails = true;
  state.documents = [doc("/etc/condor/condor_config", "htcondor-config")];
  await ext.activate(context());
  assert.equal(state.errors.length, 1);
  assert.match(state.errors[0], /classadlint lsp/);
  assert.match(state.errors[0], /classadlint\.path/);
  // the next try (say after installing classadlint) starts a new client
  state.startFails = false;
  await state.commands["classadlint.restartServer"]();
  assert.equal(state.clients.at(-1).running, true);
  await ext.deactivate();
});
