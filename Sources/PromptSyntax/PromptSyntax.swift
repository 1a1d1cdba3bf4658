// PromptSyntax: the lossless Dotprompt syntax tree. File split (header, frontmatter, body) with
// Dotprompt's fallback rules, a YAML-subset parser with source ranges, the Handlebars template parser and
// message segmentation. Parsing never throws: it returns a tree and a list of syntax errors.
