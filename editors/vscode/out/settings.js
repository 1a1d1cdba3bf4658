'use strict';
// The tokenmin settings as the language server sees them. Pure functions (no `vscode` import) so that
// Node's test runner can check them; the list of keys mirrors ../../settings.json (tested).

/** Keys (after the `tokenmin.` prefix) that only the editor reads. */
const CLIENT_ONLY_KEYS = Object.freeze(['path', 'trace.server']);

/** Keys (after the `tokenmin.` prefix) that the language server reads. */
const SERVER_KEYS = Object.freeze(['inlayHints.detail', 'defaultModel', 'volume', 'rules']);

/**
 * Builds the object the server receives: each key split on dots into nested objects, e.g.
 * `inlayHints.detail` -> `{ inlayHints: { detail } }`. Keys whose value is undefined are left out so
 * the server applies its own default.
 * @param {(key: string) => unknown} read returns the value of `tokenmin.<key>`
 */
function serverSettings(read) {
  const result = {};
  for (const key of SERVER_KEYS) {
    const value = read(key);
    if (value === undefined) continue;
    const parts = key.split('.');
    let node = result;
    for (const part of parts.slice(0, -1)) {
      node[part] = node[part] ?? {};
      node = node[part];
    }
    node[parts[parts.length - 1]] = value;
  }
  return result;
}

/**
 * Answers a `workspace/configuration` request: the `tokenmin` section (or a part of it, such as
 * `tokenmin.inlayHints`) from the server settings, `null` for sections tokenmin does not own.
 * @param {{ section?: string }[]} items
 * @param {(key: string) => unknown} read
 */
function configurationAnswer(items, read) {
  const all = serverSettings(read);
  return items.map((item) => {
    const section = item.section ?? '';
    if (section === 'tokenmin') return all;
    if (!section.startsWith('tokenmin.')) return null;
    let node = all;
    for (const part of section.slice('tokenmin.'.length).split('.')) {
      if (node === null || typeof node !== 'object' || !(part in node)) return null;
      node = node[part];
    }
    return node;
  });
}

module.exports = { CLIENT_ONLY_KEYS, SERVER_KEYS, serverSettings, configurationAnswer };
