'use strict';
// out/extension.js driven through recording fakes of the VS Code API and vscode-languageclient.

const test = require('node:test');
const assert = require('node:assert/strict');
const { createFakes, loadExtension } = require('./fakes');
const { configurationAnswer, serverSettings } = require('../out/settings');

const USER_SETTINGS = {
  path: '/opt/tokenmin/bin/tokenmin',
  'inlayHints.detail': 'tokens',
  defaultModel: 'gpt-4o',
  volume: 1000,
  rules: { politeness: 'off', scaffolding: 'error' },
  'trace.server': 'verbose',
};
const SERVER_VIEW = {
  inlayHints: { detail: 'tokens' },
  defaultModel: 'gpt-4o',
  volume: 1000,
  rules: { politeness: 'off', scaffolding: 'error' },
};

async function activated(options = {}) {
  const fakes = createFakes({ settings: { ...USER_SETTINGS }, ...options });
  const extension = loadExtension(fakes);
  const context = { subscriptions: [] };
  await extension.activate(context);
  return { fakes, extension, context };
}

test('serverSettings nests keys and leaves out unset ones', () => {
  assert.deepEqual(serverSettings((key) => USER_SETTINGS[key]), SERVER_VIEW);
  assert.deepEqual(serverSettings(() => undefined), {});
});

test('configurationAnswer serves the tokenmin section and its parts, null elsewhere', () => {
  const read = (key) => USER_SETTINGS[key];
  assert.deepEqual(
    configurationAnswer(
      [{ section: 'tokenmin' }, { section: 'tokenmin.inlayHints' }, { section: 'tokenmin.inlayHints.detail' },
        { section: 'tokenmin.nope' }, { section: 'editor' }, {}],
      read,
    ),
    [SERVER_VIEW, { detail: 'tokens' }, 'tokens', null, null, null],
  );
});

test('starts `<tokenmin.path> lsp` for dotprompt documents with the settings as initializationOptions', async () => {
  const { fakes, context } = await activated();
  assert.equal(fakes.clients.length, 1);
  const [client] = fakes.clients;
  assert.equal(client.id, 'tokenmin');
  assert.equal(client.state, 'running');
  assert.equal(client.serverOptions.command, '/opt/tokenmin/bin/tokenmin');
  assert.deepEqual(client.serverOptions.args, ['lsp']);
  assert.deepEqual(
    client.clientOptions.documentSelector.map((s) => s.language),
    ['dotprompt', 'dotprompt'],
  );
  assert.deepEqual(client.clientOptions.initializationOptions, SERVER_VIEW);
  assert.match(client.clientOptions.synchronize.fileEvents.glob, /\.prompt/);
  assert.ok(context.subscriptions.length >= 4, 'disposables are registered with the context');
});

test('falls back to `tokenmin` on PATH when tokenmin.path is empty', async () => {
  const fakes = createFakes({ settings: { path: '' } });
  await loadExtension(fakes).activate({ subscriptions: [] });
  assert.equal(fakes.clients[0].serverOptions.command, 'tokenmin');
});

test('answers workspace/configuration from the server settings', async () => {
  const { fakes } = await activated();
  const answer = fakes.clients[0].clientOptions.middleware.workspace.configuration(
    { items: [{ section: 'tokenmin' }, { section: 'files' }] },
    undefined,
    () => assert.fail('tokenmin answers without the default handler'),
  );
  assert.deepEqual(answer, [SERVER_VIEW, null]);
});

test('forwards setting changes as didChangeConfiguration, and restarts when the path changes', async () => {
  const { fakes } = await activated();
  const [listener] = fakes.configurationListeners;
  await listener({ affectsConfiguration: (s) => s === 'tokenmin' || s === 'tokenmin.volume' });
  assert.deepEqual(fakes.clients[0].notifications, [
    { method: 'workspace/didChangeConfiguration', params: { settings: { tokenmin: SERVER_VIEW } } },
  ]);
  await listener({ affectsConfiguration: (s) => s === 'editor.fontSize' });
  assert.equal(fakes.clients[0].notifications.length, 1, 'other sections are ignored');
  await listener({ affectsConfiguration: (s) => s === 'tokenmin' || s === 'tokenmin.path' });
  assert.equal(fakes.clients.length, 2, 'a new client for the new path');
  assert.equal(fakes.clients[0].state, 'stopped');
  assert.equal(fakes.clients[1].state, 'running');
});

test('Restart server stops the client and starts a new one', async () => {
  const { fakes } = await activated();
  await fakes.registeredCommands.get('tokenmin.restartServer')();
  assert.equal(fakes.clients.length, 2);
  assert.equal(fakes.clients[0].state, 'stopped');
  assert.equal(fakes.clients[1].state, 'running');
});

test('reports a server that cannot start, naming the tokenmin.path setting', async () => {
  const fakes = createFakes({ settings: { path: '/nowhere/tokenmin' } });
  fakes.languageclient.LanguageClient.prototype.start = async () => {
    throw new Error('spawn /nowhere/tokenmin ENOENT');
  };
  await loadExtension(fakes).activate({ subscriptions: [] });
  const errors = fakes.messages.filter((m) => m.level === 'error');
  assert.equal(errors.length, 1);
  assert.match(errors[0].text, /tokenmin\.path/);
  assert.match(errors[0].text, /ENOENT/);
  assert.deepEqual(errors[0].items, ['Set tokenmin.path']);
  assert.deepEqual(fakes.executedCommands, [], 'nothing happens while the message is only dismissed');
});

test('the "Set tokenmin.path" action of the start failure opens the setting', async () => {
  const fakes = createFakes({ settings: { path: '/nowhere/tokenmin' }, errorChoice: 'Set tokenmin.path' });
  fakes.languageclient.LanguageClient.prototype.start = async () => {
    throw new Error('spawn /nowhere/tokenmin ENOENT');
  };
  const api = await loadExtension(fakes).activate({ subscriptions: [] });
  await api.startFailure();
  assert.deepEqual(fakes.executedCommands, [{ id: 'workbench.action.openSettings', args: ['tokenmin.path'] }]);
});

test('Show token view requests tokenmin.tokenView and alternates two highlights; a second call clears', async () => {
  const ranges = [0, 1, 2].map((i) => ({ start: { line: 3, character: i }, end: { line: 3, character: i + 1 } }));
  const { fakes, extension } = await activated({
    tokenViewResult: { uri: 'file:///a.prompt', encoding: 'o200k_base', tokenCount: 3, inputTokens: 9, tokens: ranges.map((range) => ({ range, text: 'x' })) },
  });
  const editor = fakes.editorFor('file:///a.prompt');
  fakes.vscode.window.activeTextEditor = editor;
  fakes.vscode.window.visibleTextEditors = [editor];
  const show = fakes.registeredCommands.get('tokenmin.showTokenView');
  await show();
  const client = fakes.clients[0];
  assert.equal(extension.TOKEN_VIEW_COMMAND, 'tokenmin.tokenView');
  assert.deepEqual(client.requests, [
    { method: 'workspace/executeCommand', params: { command: 'tokenmin.tokenView', arguments: [{ uri: 'file:///a.prompt' }] } },
  ]);
  const shown = [...editor.decorations.values()];
  assert.deepEqual(shown, [
    [{ converted: ranges[0] }, { converted: ranges[2] }],
    [{ converted: ranges[1] }],
  ]);
  // The file's tokens and the call's input tokens are told apart (the hints count the call).
  assert.ok(fakes.messages.some((m) => m.level === 'status'
    && /3 tokens in the file as written \(o200k_base\); the call sends 9 input tokens \(as in the hints\)/.test(m.text)));

  await show();
  assert.equal(client.requests.length, 1, 'toggling off does not ask the server');
  assert.deepEqual([...editor.decorations.values()], [[], []]);
});

test('an edit clears a shown token view', async () => {
  const { fakes } = await activated({
    tokenViewResult: { encoding: 'o200k_base', tokenCount: 1, tokens: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: 'a' }] },
  });
  const editor = fakes.editorFor('file:///b.prompt');
  fakes.vscode.window.activeTextEditor = editor;
  fakes.vscode.window.visibleTextEditors = [editor];
  await fakes.registeredCommands.get('tokenmin.showTokenView')();
  fakes.documentListeners[0]({ document: editor.document });
  assert.deepEqual([...editor.decorations.values()], [[], []]);
});

test('Show token view outside a .prompt editor explains instead of asking the server', async () => {
  const { fakes } = await activated();
  fakes.vscode.window.activeTextEditor = fakes.editorFor('file:///c.md', 'markdown');
  await fakes.registeredCommands.get('tokenmin.showTokenView')();
  assert.equal(fakes.clients[0].requests.length, 0);
  assert.ok(fakes.messages.some((m) => m.level === 'info' && /\.prompt/.test(m.text)));
});

const PREVIEW = {
  uri: 'file:///w/a.prompt',
  version: 1,
  text: 'a.prompt — openai/gpt-4o (o200k_base, exact)\n\n── system · 5 tok · $0.000013 ──\nHello Ada\n',
};

async function previewOpened(previewResult = PREVIEW) {
  const activation = await activated({ previewResult });
  const editor = activation.fakes.editorFor('file:///w/a.prompt');
  activation.fakes.vscode.window.activeTextEditor = editor;
  activation.fakes.vscode.window.visibleTextEditors = [editor];
  await activation.fakes.registeredCommands.get('tokenmin.showPreview')();
  return activation;
}

test('Show rendered preview opens a read-only document beside the editor with the server text', async () => {
  const { fakes, extension } = await previewOpened();
  assert.equal(extension.PREVIEW_COMMAND, 'tokenmin.preview');
  assert.ok(fakes.contentProviders.has('tokenmin-preview'), 'a content provider serves the preview scheme');
  const [opened] = fakes.openedDocuments;
  assert.equal(opened.uri.scheme, 'tokenmin-preview');
  assert.equal(opened.uri.path, '/a.prompt.preview');
  assert.equal(opened.uri.query, 'file:///w/a.prompt');
  assert.equal(opened.text, PREVIEW.text);
  assert.deepEqual(fakes.clients[0].requests, [
    { method: 'workspace/executeCommand', params: { command: 'tokenmin.preview', arguments: [{ uri: 'file:///w/a.prompt' }] } },
  ]);
  const [shown] = fakes.shownDocuments;
  assert.equal(shown.document, opened);
  assert.deepEqual(shown.options, { viewColumn: fakes.vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
});

test('edits of the source refresh its open preview once typing pauses', async () => {
  const { fakes, extension } = await previewOpened();
  const provider = fakes.contentProviders.get('tokenmin-preview');
  const fired = [];
  provider.onDidChange((uri) => fired.push(uri.toString()));
  const changed = (uri) => fakes.documentListeners.forEach((listener) => listener({ document: { uri: { toString: () => uri } } }));
  changed('file:///w/a.prompt');
  changed('file:///w/a.prompt');
  changed('file:///w/other.prompt');
  assert.deepEqual(fired, [], 'not before the pause');
  await new Promise((resolve) => setTimeout(resolve, extension.PREVIEW_DEBOUNCE_MS + 50));
  assert.deepEqual(fired, [extension.previewUri('file:///w/a.prompt').toString()], 'one refresh, for the open preview only');
  // Saving the prompt's sample file refreshes it too (the server reads the sample from disk).
  fakes.saveListeners.forEach((listener) => listener({ uri: { toString: () => 'file:///w/a.sample.json' } }));
  fakes.saveListeners.forEach((listener) => listener({ uri: { toString: () => 'file:///w/notes.json' } }));
  await new Promise((resolve) => setTimeout(resolve, extension.PREVIEW_DEBOUNCE_MS + 50));
  assert.equal(fired.length, 2);
  fired.pop();
  // Closing the preview stops the refreshes.
  fakes.closeListeners.forEach((listener) => listener({ uri: extension.previewUri('file:///w/a.prompt') }));
  changed('file:///w/a.prompt');
  await new Promise((resolve) => setTimeout(resolve, extension.PREVIEW_DEBOUNCE_MS + 50));
  assert.equal(fired.length, 1);
});

test('the preview explains a failed request and a missing editor', async () => {
  const { fakes } = await previewOpened(new Error('document is not open'));
  assert.equal(fakes.openedDocuments[0].text, 'tokenmin: the preview failed: document is not open');
  fakes.vscode.window.activeTextEditor = fakes.editorFor('file:///c.md', 'markdown');
  await fakes.registeredCommands.get('tokenmin.showPreview')();
  assert.equal(fakes.openedDocuments.length, 1, 'no preview outside a .prompt editor');
  assert.ok(fakes.messages.some((m) => m.level === 'info' && /preview/.test(m.text)));
});
