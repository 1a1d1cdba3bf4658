'use strict';
// Minimal stand-ins for the `vscode` API and `vscode-languageclient/node`, installed into Node's module
// loader so that out/extension.js runs under `node --test` without VS Code or npm packages. They record
// what the extension does; they implement only what the extension calls.

const Module = require('node:module');

function createFakes({ settings = {}, tokenViewResult = null, previewResult = null, errorChoice = undefined } = {}) {
  const registeredCommands = new Map();
  const configurationListeners = [];
  const documentListeners = [];
  const messages = [];
  const clients = [];
  const decorationCalls = [];
  const contentProviders = new Map();
  const openedDocuments = [];
  const shownDocuments = [];
  const closeListeners = [];
  const saveListeners = [];
  const executedCommands = [];

  class Disposable {
    dispose() {}
  }

  class EventEmitter {
    constructor() {
      this.listeners = [];
      this.event = (listener) => {
        this.listeners.push(listener);
        return new Disposable();
      };
    }
    fire(value) {
      for (const listener of this.listeners) listener(value);
    }
    dispose() {
      this.listeners = [];
    }
  }

  /** A parsed URI with the parts the extension reads; `toString()` joins them. */
  function uriFrom({ scheme, path = '', query = '' }) {
    return { scheme, path, query, toString: () => `${scheme}:${path}${query ? '?' + encodeURIComponent(query) : ''}` };
  }

  const vscode = {
    EventEmitter,
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    Uri: { from: uriFrom },
    ThemeColor: class {
      constructor(id) {
        this.id = id;
      }
    },
    commands: {
      registerCommand(id, handler) {
        if (registeredCommands.has(id)) throw new Error(`command '${id}' already exists`);
        registeredCommands.set(id, handler);
        return new Disposable();
      },
      async executeCommand(id, ...args) {
        executedCommands.push({ id, args });
      },
    },
    workspace: {
      getConfiguration(section) {
        if (section !== 'tokenmin') throw new Error(`unexpected configuration section ${section}`);
        return { get: (key) => settings[key] };
      },
      onDidChangeConfiguration(listener) {
        configurationListeners.push(listener);
        return new Disposable();
      },
      onDidChangeTextDocument(listener) {
        documentListeners.push(listener);
        return new Disposable();
      },
      createFileSystemWatcher(glob) {
        return Object.assign(new Disposable(), { glob });
      },
      registerTextDocumentContentProvider(scheme, provider) {
        contentProviders.set(scheme, provider);
        return new Disposable();
      },
      onDidCloseTextDocument(listener) {
        closeListeners.push(listener);
        return new Disposable();
      },
      onDidSaveTextDocument(listener) {
        saveListeners.push(listener);
        return new Disposable();
      },
      async openTextDocument(uri) {
        // Like VS Code: a virtual document's text comes from its scheme's content provider.
        const provider = contentProviders.get(uri.scheme);
        const document = { uri, text: provider ? await provider.provideTextDocumentContent(uri) : '' };
        openedDocuments.push(document);
        return document;
      },
    },
    window: {
      activeTextEditor: undefined,
      visibleTextEditors: [],
      createOutputChannel: (name) => Object.assign(new Disposable(), { name, appendLine() {} }),
      createTextEditorDecorationType: (options) => ({ options }),
      // Resolves to `errorChoice`, as if the user picked that action (undefined: dismissed).
      showErrorMessage: (text, ...items) => {
        messages.push({ level: 'error', text, items });
        return Promise.resolve(errorChoice);
      },
      showInformationMessage: (text) => messages.push({ level: 'info', text }),
      setStatusBarMessage: (text) => messages.push({ level: 'status', text }),
      showTextDocument: async (document, options) => {
        shownDocuments.push({ document, options });
        return { document };
      },
    },
  };

  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions });
      this.requests = [];
      this.notifications = [];
      this.state = 'new';
      this.protocol2CodeConverter = { asRange: (range) => ({ converted: range }) };
      clients.push(this);
    }
    async start() {
      this.state = 'running';
    }
    async stop() {
      this.state = 'stopped';
    }
    async sendRequest(method, params) {
      this.requests.push({ method, params });
      if (params && params.command === 'tokenmin.preview') {
        if (previewResult instanceof Error) throw previewResult;
        return typeof previewResult === 'function' ? previewResult(params) : previewResult;
      }
      return tokenViewResult;
    }
    async sendNotification(method, params) {
      this.notifications.push({ method, params });
    }
  }

  const languageclient = { LanguageClient, TransportKind: { stdio: 0, ipc: 1 } };

  function editorFor(uri, languageId = 'dotprompt') {
    const editor = {
      document: { uri: { toString: () => uri }, languageId },
      decorations: new Map(),
      setDecorations(type, ranges) {
        this.decorations.set(type, ranges);
        decorationCalls.push({ uri, ranges });
      },
    };
    return editor;
  }

  return {
    vscode,
    languageclient,
    registeredCommands,
    configurationListeners,
    documentListeners,
    messages,
    clients,
    decorationCalls,
    executedCommands,
    editorFor,
    contentProviders,
    openedDocuments,
    shownDocuments,
    closeListeners,
    saveListeners,
  };
}

/** Loads a fresh copy of out/extension.js wired to the given fakes. */
function loadExtension(fakes) {
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (request === 'vscode') return fakes.vscode;
    if (request === 'vscode-languageclient/node') return fakes.languageclient;
    return originalLoad.call(this, request, parent, isMain);
  };
  try {
    const file = require.resolve('../out/extension.js');
    delete require.cache[file];
    return require(file);
  } finally {
    Module._load = originalLoad;
  }
}

module.exports = { createFakes, loadExtension };
