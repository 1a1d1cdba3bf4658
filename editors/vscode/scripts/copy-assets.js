#!/usr/bin/env node
'use strict';
// Copies the files this extension needs from the rest of the repository into the extension folder,
// because `vsce package` only packs files inside it: the canonical TextMate grammar
// (grammars/dotprompt.tmLanguage.json -> syntaxes/) and the licence. Run by `npm run package`
// (prepackage) and by `vsce package`/`vsce publish` (vscode:prepublish).
// Usage: node scripts/copy-assets.js [extension-folder]   (default: this extension)

const fs = require('node:fs');
const path = require('node:path');

const repositoryRoot = path.resolve(__dirname, '..', '..', '..');
const ASSETS = [
  { from: path.join(repositoryRoot, 'grammars', 'dotprompt.tmLanguage.json'), to: path.join('syntaxes', 'dotprompt.tmLanguage.json') },
  { from: path.join(repositoryRoot, 'LICENSE'), to: 'LICENSE' },
];

function copyAssets(extensionFolder) {
  for (const asset of ASSETS) {
    if (!fs.existsSync(asset.from)) {
      throw new Error(`missing ${asset.from}: run this script from a tokenmin checkout`);
    }
    const target = path.join(extensionFolder, asset.to);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(asset.from, target);
  }
}

if (require.main === module) {
  const folder = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
  copyAssets(folder);
  console.log(`copied ${ASSETS.map((a) => a.to).join(', ')} into ${folder}`);
}

module.exports = { copyAssets, ASSETS };
