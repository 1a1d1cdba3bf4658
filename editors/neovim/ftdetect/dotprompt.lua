-- Dotprompt prompt templates: *.prompt files get the `dotprompt` filetype.
vim.filetype.add({ extension = { prompt = 'dotprompt' } })
