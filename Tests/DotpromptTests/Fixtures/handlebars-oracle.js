// Regenerates the `expected` field of render-cases.json with Handlebars itself, compiled the way
// Dotprompt compiles (noEscape, knownHelpersOnly, Dotprompt's helpers), so that the fixtures are
// never written by hand. Needs Debian's `handlebars` package (4.7.x, as Dotprompt uses):
//   apt-get install handlebars && node Tests/DotpromptTests/Fixtures/handlebars-oracle.js
'use strict';
const fs = require('fs');
const path = require('path');
const Handlebars = require('/usr/share/nodejs/handlebars');

const file = path.join(__dirname, 'render-cases.json');
const cases = JSON.parse(fs.readFileSync(file, 'utf8'));

function environment(partials) {
  const hb = Handlebars.create();
  const safe = (text) => new hb.SafeString(text);
  // Dotprompt's helpers, restated from their documented behaviour.
  const helpers = {
    json: (value, options) => safe(JSON.stringify(value, null, options.hash.indent || 0)),
    role: (name) => safe(`<<<dotprompt:role:${name}>>>`),
    history: () => safe('<<<dotprompt:history>>>'),
    section: (name) => safe(`<<<dotprompt:section ${name}>>>`),
    media: (options) => safe(`<<<dotprompt:media:url ${options.hash.url}` +
      (options.hash.contentType ? ` ${options.hash.contentType}` : '') + '>>>'),
    ifEquals: function (a, b, options) { return a === b ? options.fn(this) : options.inverse(this); },
    unlessEquals: function (a, b, options) { return a !== b ? options.fn(this) : options.inverse(this); },
  };
  const known = {};
  for (const [name, fn] of Object.entries(helpers)) { hb.registerHelper(name, fn); known[name] = true; }
  for (const [name, text] of Object.entries(partials || {})) hb.registerPartial(name, text);
  return { hb, known };
}

for (const c of cases) {
  const { hb, known } = environment(c.partials);
  try {
    const render = hb.compile(c.template, { knownHelpers: known, knownHelpersOnly: true, noEscape: true });
    const data = { metadata: { prompt: {}, docs: undefined, messages: undefined }, ...(c.context || {}) };
    c.expected = { text: render(c.input || {}, { data }) };
  } catch (error) {
    c.expected = { error: String(error.message).split('\n')[0] };
  }
}
fs.writeFileSync(file, JSON.stringify(cases, null, 2) + '\n');
console.log(`wrote ${cases.length} cases to ${file}`);
