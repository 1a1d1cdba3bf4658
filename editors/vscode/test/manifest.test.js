'use strict';
// The extension manifest: what VS Code and vsce require, and that it agrees with the grammar, the
// language configuration, editors/settings.json and out/extension.js.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createFakes, loadExtension } = require('./fakes');
const { copyAssets } = require('../scripts/copy-assets');
const { CLIENT_ONLY_KEYS, SERVER_KEYS } = require('../out/settings');

const extensionRoot = path.resolve(__dirname, '..');
const repositoryRoot = path.resolve(extensionRoot, '..', '..');
const readJSON = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const manifest = readJSON(path.join(extensionRoot, 'package.json'));
const settingsList = readJSON(path.join(repositoryRoot, 'editors', 'settings.json'));

test('has the fields VS Code and vsce require', () => {
  for (const field of ['name', 'displayName', 'description', 'version', 'publisher', 'engines', 'main', 'license']) {
    assert.ok(manifest[field], `package.json lacks "${field}"`);
  }
  assert.equal(manifest.name, 'tokenmin');
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
  assert.match(manifest.engines.vscode, /^\^1\.\d+\.\d+$/);
  assert.equal(manifest.main, './out/extension.js');
  assert.ok(fs.existsSync(path.join(extensionRoot, manifest.main)), 'main file exists');
  assert.ok(fs.existsSync(path.join(extensionRoot, 'README.md')), 'vsce packs README.md');
});

test('activates on the dotprompt language', () => {
  assert.deepEqual(manifest.activationEvents, ['onLanguage:dotprompt']);
});

test('contributes the dotprompt language for .prompt files', () => {
  const languages = manifest.contributes.languages;
  assert.equal(languages.length, 1);
  const [language] = languages;
  assert.equal(language.id, 'dotprompt');
  assert.deepEqual(language.extensions, ['.prompt']);
  assert.ok(language.aliases.includes('Dotprompt'));
  assert.ok(fs.existsSync(path.join(extensionRoot, language.configuration)), 'language configuration exists');
});

test('language configuration parses and sets Handlebars comments and brackets', () => {
  const file = path.join(extensionRoot, manifest.contributes.languages[0].configuration);
  const configuration = readJSON(file);
  assert.deepEqual(configuration.comments.blockComment, ['{{!--', '--}}']);
  assert.ok(configuration.brackets.some(([open, close]) => open === '{{' && close === '}}'));
  assert.ok(configuration.autoClosingPairs.some((pair) => pair.open === '{{' && pair.close === '}}'));
  for (const pattern of Object.values(configuration.folding.markers)) new RegExp(pattern);
});

test('grammar path resolves after the copy step and is the canonical grammar', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenmin-vscode-'));
  try {
    copyAssets(scratch);
    const canonical = path.join(repositoryRoot, 'grammars', 'dotprompt.tmLanguage.json');
    for (const grammar of manifest.contributes.grammars) {
      assert.equal(grammar.language, 'dotprompt');
      assert.ok(!path.isAbsolute(grammar.path) && !grammar.path.includes('..'), 'path stays inside the extension');
      const copied = path.join(scratch, grammar.path);
      assert.ok(fs.existsSync(copied), `${grammar.path} exists after copy-assets`);
      assert.deepEqual(fs.readFileSync(copied), fs.readFileSync(canonical));
      assert.equal(readJSON(copied).scopeName, grammar.scopeName);
      for (const scope of Object.keys(grammar.embeddedLanguages ?? {})) {
        assert.ok(fs.readFileSync(canonical, 'utf8').includes(`"${scope}"`), `grammar assigns ${scope}`);
      }
    }
    assert.ok(fs.existsSync(path.join(scratch, 'LICENSE')), 'licence copied for vsce');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('packaging copies the assets first and keeps shipped files', () => {
  assert.equal(manifest.scripts.prepackage, 'node scripts/copy-assets.js');
  assert.equal(manifest.scripts['vscode:prepublish'], 'node scripts/copy-assets.js');
  assert.match(manifest.scripts.package, /^vsce package/);
  const ignored = fs
    .readFileSync(path.join(extensionRoot, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const shipped of ['out', 'syntaxes', 'language-configuration.json', 'package.json', 'README.md', 'LICENSE']) {
    const hit = ignored.find((p) => ['*', '**', '**/*', shipped, `${shipped}/**`, `${shipped}/`].includes(p));
    assert.equal(hit, undefined, `.vscodeignore must not exclude ${shipped}`);
  }
  assert.ok(manifest.dependencies['vscode-languageclient'], 'vscode-languageclient is a runtime dependency');
});

test('every contributed command has a title and is registered by the extension', async () => {
  const fakes = createFakes();
  const extension = loadExtension(fakes);
  await extension.activate({ subscriptions: [] });
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual(contributed.sort(), ['tokenmin.restartServer', 'tokenmin.showPreview', 'tokenmin.showTokenView']);
  for (const command of manifest.contributes.commands) {
    assert.ok(command.title && command.title.trim(), `${command.command} has a title`);
    assert.ok(fakes.registeredCommands.has(command.command), `${command.command} is registered in extension.js`);
  }
  assert.deepEqual([...fakes.registeredCommands.keys()].sort(), contributed.sort(), 'no unlisted commands');
  const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c.title]));
  assert.equal(titles['tokenmin.restartServer'], 'Restart server');
  assert.equal(titles['tokenmin.showTokenView'], 'Show token view');
});

test('contributes exactly the settings listed in editors/settings.json', () => {
  const properties = manifest.contributes.configuration.properties;
  const listed = settingsList.settings.map((s) => s.key);
  assert.deepEqual(Object.keys(properties).sort(), [...listed].sort());
  for (const setting of settingsList.settings) {
    const { key, readBy, ...schema } = setting;
    assert.ok(['client', 'server'].includes(readBy), `${key}: readBy is client or server`);
    assert.deepEqual(properties[key], schema, `${key} in package.json matches editors/settings.json`);
    if (schema.enum) assert.ok(schema.enum.includes(schema.default), `${key}: default is one of the enum values`);
  }
});

test('every setting the server reads is contributed and forwarded by the extension', () => {
  const serverKeys = settingsList.settings.filter((s) => s.readBy === 'server').map((s) => s.key);
  const clientKeys = settingsList.settings.filter((s) => s.readBy === 'client').map((s) => s.key);
  assert.ok(serverKeys.length >= 4, 'server settings listed');
  for (const key of serverKeys) assert.ok(key in manifest.contributes.configuration.properties, `${key} contributed`);
  assert.deepEqual(SERVER_KEYS.map((k) => `tokenmin.${k}`).sort(), [...serverKeys].sort());
  assert.deepEqual(CLIENT_ONLY_KEYS.map((k) => `tokenmin.${k}`).sort(), [...clientKeys].sort());
  for (const key of [...serverKeys, ...clientKeys]) assert.match(key, /^tokenmin\.[a-z][A-Za-z.]*$/);
});
