'use strict';
// tokenmin for VS Code: starts `tokenmin lsp` through vscode-languageclient, keeps the server's
// settings in sync, and adds two commands. Plain CommonJS, no build step: this file is what ships.

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { serverSettings, configurationAnswer } = require('./settings');

/** The server-side command (workspace/executeCommand) that returns the token view of a document.
 * It must differ from the palette command `tokenmin.showTokenView`: vscode-languageclient registers
 * every command the server advertises as a VS Code command, and two registrations of one id fail. */
const TOKEN_VIEW_COMMAND = 'tokenmin.tokenView';

/** The server-side command that renders a document with its sample values (tokens and USD per
 * message). The palette command is `tokenmin.showPreview`, for the same reason as the token view. */
const PREVIEW_COMMAND = 'tokenmin.preview';
/** Scheme of the read-only preview documents; the query is the source document's URI. */
const PREVIEW_SCHEME = 'tokenmin-preview';
/** Milliseconds after the last edit of a source before its open preview is refreshed. */
const PREVIEW_DEBOUNCE_MS = 150;

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let outputChannel;
/** Documents (by URI string) whose token view is currently shown. */
const tokenViews = new Set();
let tokenDecorations;

function readSetting(key) {
  return vscode.workspace.getConfiguration('tokenmin').get(key);
}

function createClient() {
  const command = readSetting('path') || 'tokenmin';
  const serverOptions = { command, args: ['lsp'], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dotprompt' },
      { scheme: 'untitled', language: 'dotprompt' },
    ],
    initializationOptions: serverSettings(readSetting),
    outputChannel,
    synchronize: {
      // Partials, the workspace configuration and sample inputs affect other documents' counts and diagnostics.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.prompt,.tokenmin.yml,.tokenmin.yaml,*.sample.json}'),
    },
    middleware: {
      workspace: {
        // Answer from the server-read settings only, in the shape documented in editors/settings.json.
        configuration: (params) => configurationAnswer(params.items, readSetting),
      },
    },
  };
  return new LanguageClient('tokenmin', 'tokenmin', serverOptions, clientOptions);
}

/** The action offered when the server cannot start: opens the Settings editor at tokenmin.path. */
const SET_PATH_ACTION = 'Set tokenmin.path';

/** Says why the server did not start and offers to set tokenmin.path. Not awaited by activation:
 * the message stays until the user answers. */
async function reportStartFailure(error) {
  const path = readSetting('path') || 'tokenmin';
  const choice = await vscode.window.showErrorMessage(
    `tokenmin: could not start "${path} lsp" (${error && error.message ? error.message : error}). ` +
      'Set "tokenmin.path" to the tokenmin executable.',
    SET_PATH_ACTION,
  );
  if (choice === SET_PATH_ACTION) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'tokenmin.path');
  }
}

async function startClient() {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    outputChannel?.appendLine(`could not start the server: ${error && error.message ? error.message : error}`);
    lastStartFailure = reportStartFailure(error);
  }
}

/** The pending start-failure message (for tests). */
let lastStartFailure = Promise.resolve();

async function restartServer() {
  clearAllTokenViews();
  if (client) {
    const old = client;
    client = undefined;
    try {
      await old.stop();
    } catch (error) {
      outputChannel?.appendLine(`stopping the server failed: ${error}`);
    }
  }
  await startClient();
}

function decorations() {
  if (!tokenDecorations) {
    // Two alternating backgrounds make every token boundary visible, including inside words.
    tokenDecorations = [
      vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('editor.wordHighlightBackground'),
      }),
      vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('editor.wordHighlightStrongBackground'),
      }),
    ];
  }
  return tokenDecorations;
}

function clearTokenView(editor) {
  for (const type of decorations()) editor.setDecorations(type, []);
  tokenViews.delete(editor.document.uri.toString());
}

function clearAllTokenViews() {
  for (const editor of vscode.window.visibleTextEditors ?? []) {
    if (tokenViews.has(editor.document.uri.toString())) clearTokenView(editor);
  }
  tokenViews.clear();
}

/** Toggles the token view of the active editor: alternating highlights, one per model token. */
async function showTokenView() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'dotprompt') {
    vscode.window.showInformationMessage('tokenmin: open a .prompt file to see its tokens.');
    return;
  }
  const uri = editor.document.uri.toString();
  if (tokenViews.has(uri)) {
    clearTokenView(editor);
    return;
  }
  if (!client) {
    vscode.window.showErrorMessage('tokenmin: the language server is not running.');
    return;
  }
  const result = await client.sendRequest('workspace/executeCommand', {
    command: TOKEN_VIEW_COMMAND,
    arguments: [{ uri }],
  });
  if (!result || !Array.isArray(result.tokens)) {
    vscode.window.showErrorMessage('tokenmin: the server returned no token view.');
    return;
  }
  const ranges = [[], []];
  result.tokens.forEach((token, index) => {
    ranges[index % 2].push(client.protocol2CodeConverter.asRange(token.range));
  });
  const [even, odd] = decorations();
  editor.setDecorations(even, ranges[0]);
  editor.setDecorations(odd, ranges[1]);
  tokenViews.add(uri);
  // The view counts the file as written; the hints count the rendered call. Say which is which.
  const sent = typeof result.inputTokens === 'number' ? `; the call sends ${result.inputTokens} input tokens (as in the hints)` : '';
  vscode.window.setStatusBarMessage(
    `tokenmin: ${result.tokenCount ?? result.tokens.length} tokens in the file as written (${result.encoding ?? 'unknown encoding'})${sent}`,
    5000,
  );
}

/** The preview document of a source URI: `tokenmin-preview:/NAME.preview?<source uri>`. */
function previewUri(source) {
  const name = decodeURIComponent(source.split('/').pop() || 'untitled');
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name}.preview`, query: source });
}

/** Serves the rendered preview as a read-only virtual document and refreshes open previews when
 * their source changes (debounced). */
class PreviewProvider {
  constructor() {
    this.emitter = new vscode.EventEmitter();
    this.onDidChange = this.emitter.event;
    /** Sources whose preview is open, by URI string, with their pending refresh timer. */
    this.open = new Map();
  }

  async provideTextDocumentContent(uri) {
    const source = uri.query;
    if (!this.open.has(source)) this.open.set(source, undefined);
    if (!client) return 'tokenmin: the language server is not running.';
    try {
      const result = await client.sendRequest('workspace/executeCommand', {
        command: PREVIEW_COMMAND,
        arguments: [{ uri: source }],
      });
      return result && typeof result.text === 'string' ? result.text : 'tokenmin: the server returned no preview.';
    } catch (error) {
      return `tokenmin: the preview failed: ${error && error.message ? error.message : error}`;
    }
  }

  /** A source document changed: refresh its preview once typing pauses. */
  sourceChanged(source) {
    if (!this.open.has(source)) return;
    clearTimeout(this.open.get(source));
    this.open.set(
      source,
      setTimeout(() => {
        this.open.set(source, undefined);
        this.emitter.fire(previewUri(source));
      }, PREVIEW_DEBOUNCE_MS),
    );
  }

  closed(uri) {
    if (uri.scheme !== PREVIEW_SCHEME) return;
    clearTimeout(this.open.get(uri.query));
    this.open.delete(uri.query);
  }

  dispose() {
    for (const timer of this.open.values()) clearTimeout(timer);
    this.open.clear();
    this.emitter.dispose();
  }
}

/** @type {PreviewProvider | undefined} */
let previews;

/** Opens the rendered preview of the active `.prompt` editor beside it (it follows edits). */
async function showPreview() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'dotprompt') {
    vscode.window.showInformationMessage('tokenmin: open a .prompt file to preview it.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(previewUri(editor.document.uri.toString()));
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  outputChannel = vscode.window.createOutputChannel('tokenmin');
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand('tokenmin.restartServer', restartServer),
    vscode.commands.registerCommand('tokenmin.showTokenView', showTokenView),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('tokenmin')) return;
      if (event.affectsConfiguration('tokenmin.path')) {
        await restartServer();
      } else if (client) {
        await client.sendNotification('workspace/didChangeConfiguration', {
          settings: { tokenmin: serverSettings(readSetting) },
        });
      }
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      // Token boundaries move with every edit; a stale view would mislead.
      const uri = event.document.uri.toString();
      if (!tokenViews.has(uri)) return;
      for (const editor of vscode.window.visibleTextEditors ?? []) {
        if (editor.document.uri.toString() === uri) clearTokenView(editor);
      }
      tokenViews.delete(uri);
    }),
  );
  previews = new PreviewProvider();
  context.subscriptions.push(
    previews,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand('tokenmin.showPreview', showPreview),
    vscode.workspace.onDidChangeTextDocument((event) => previews.sourceChanged(event.document.uri.toString())),
    // The server reads NAME.sample.json from disk: a saved sample refreshes its prompt's preview.
    vscode.workspace.onDidSaveTextDocument((document) => {
      const uri = document.uri.toString();
      if (uri.endsWith('.sample.json')) previews.sourceChanged(uri.slice(0, -'.sample.json'.length) + '.prompt');
    }),
    vscode.workspace.onDidCloseTextDocument((document) => previews.closed(document.uri)),
  );
  await startClient();
  return { getClient: () => client, previews: () => previews, startFailure: () => lastStartFailure };
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate, TOKEN_VIEW_COMMAND, PREVIEW_COMMAND, PREVIEW_SCHEME, PREVIEW_DEBOUNCE_MS, previewUri };
