// Dotprompt: rendering a parsed prompt with input data into messages exactly as the reference
// implementations do (Handlebars evaluation, Dotprompt helpers, partials, Picoschema).
