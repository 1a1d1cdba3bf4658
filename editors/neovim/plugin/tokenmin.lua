-- tokenmin: user commands only; the language server starts after require('tokenmin').setup().
if vim.g.loaded_tokenmin then
  return
end
vim.g.loaded_tokenmin = true

vim.api.nvim_create_user_command('TokenminTokens', function()
  require('tokenmin').token_view(0)
end, { desc = 'tokenmin: toggle the token view of the current buffer' })

vim.api.nvim_create_user_command('TokenminPreview', function()
  require('tokenmin.preview').toggle(0)
end, { desc = 'tokenmin: toggle the rendered preview (tokens and USD per message) of the current buffer' })
