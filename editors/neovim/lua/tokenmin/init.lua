--- tokenmin for Neovim (>= 0.11): starts `tokenmin lsp` for Dotprompt files through vim.lsp.config and
--- vim.lsp.enable, turns inlay hints on, and adds :TokenminTokens (the token view).
local M = {}

--- Server-side command (workspace/executeCommand) that returns the token view; see :help tokenmin-token-view.
M.token_view_command = 'tokenmin.tokenView'

local namespace = vim.api.nvim_create_namespace('tokenmin.tokens')

local defaults = {
  -- Command that starts the server; `path` is used when `cmd` is nil.
  cmd = nil,
  path = 'tokenmin',
  filetypes = { 'dotprompt' },
  root_markers = { '.tokenmin.yml', '.git' },
  -- Server-read settings (editors/settings.json without the `tokenmin.` prefix), e.g.
  -- { inlayHints = { detail = 'full' }, defaultModel = 'gpt-4o', volume = 1000, rules = { politeness = 'off' } }.
  settings = {},
  inlay_hints = true,
  on_attach = nil,
}

M.options = vim.deepcopy(defaults)

local function define_highlights()
  -- Two alternating backgrounds make each token boundary visible, also inside words.
  vim.api.nvim_set_hl(0, 'TokenminTokenEven', { default = true, link = 'Visual' })
  vim.api.nvim_set_hl(0, 'TokenminTokenOdd', { default = true, link = 'CursorLine' })
end

-- Lua cannot tell an empty object from an empty list and vim.json encodes `{}` as `[]`; the server
-- expects objects, so empty tables in the settings are sent as empty JSON objects.
local function as_objects(value)
  if type(value) ~= 'table' then
    return value
  end
  if next(value) == nil then
    return vim.empty_dict()
  end
  local copy = {}
  for key, item in pairs(value) do
    copy[key] = as_objects(item)
  end
  return copy
end

--- Configures and enables the `tokenmin` language server.
--- @param opts table|nil see the defaults above and :help tokenmin-setup
function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  local options = M.options
  define_highlights()
  vim.lsp.config('tokenmin', {
    cmd = options.cmd or { options.path, 'lsp' },
    filetypes = options.filetypes,
    root_markers = options.root_markers,
    -- The same object travels as initializationOptions and as the `tokenmin` section that Neovim
    -- returns for workspace/configuration and sends in workspace/didChangeConfiguration.
    init_options = as_objects(options.settings),
    settings = { tokenmin = as_objects(options.settings) },
    on_attach = function(client, bufnr)
      if options.inlay_hints then
        vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
      end
      if options.on_attach then
        options.on_attach(client, bufnr)
      end
    end,
  })
  vim.lsp.enable('tokenmin')
end

--- The running tokenmin client attached to `bufnr`, if any.
function M.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'tokenmin' })[1]
end

--- Clears the token view of `bufnr`.
function M.clear_token_view(bufnr)
  vim.api.nvim_buf_clear_namespace(bufnr, namespace, 0, -1)
  vim.b[bufnr].tokenmin_token_view = nil
end

local function byte_column(bufnr, position, encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1]
  if not line then
    return nil
  end
  if encoding == 'utf-8' then
    return math.min(position.character, #line)
  end
  local ok, column = pcall(vim.str_byteindex, line, encoding, position.character, false)
  return ok and column or #line
end

--- Shows `result` (the server's token view) as alternating highlights in `bufnr`.
--- @return integer number of tokens highlighted
function M.show_token_view(bufnr, result, encoding)
  M.clear_token_view(bufnr)
  local last_line = vim.api.nvim_buf_line_count(bufnr) - 1
  local shown = 0
  for index, token in ipairs(result.tokens or {}) do
    local range = token.range
    if range and range.start.line <= last_line then
      local start_col = byte_column(bufnr, range.start, encoding)
      local end_line = math.min(range['end'].line, last_line)
      local end_col = byte_column(bufnr, { line = end_line, character = range['end'].character }, encoding)
      if start_col and end_col then
        vim.api.nvim_buf_set_extmark(bufnr, namespace, range.start.line, start_col, {
          end_row = end_line,
          end_col = end_col,
          hl_group = index % 2 == 1 and 'TokenminTokenEven' or 'TokenminTokenOdd',
          priority = 150,
        })
        shown = shown + 1
      end
    end
  end
  vim.b[bufnr].tokenmin_token_view = true
  return shown
end

--- Toggles the token view of `bufnr`: asks the server (workspace/executeCommand tokenmin.tokenView)
--- and highlights each token. `callback(err, result)` is called when done (for scripts and tests).
function M.token_view(bufnr, callback)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  callback = callback or function() end
  if vim.b[bufnr].tokenmin_token_view then
    M.clear_token_view(bufnr)
    return callback(nil, { cleared = true })
  end
  local client = M.client(bufnr)
  if not client then
    vim.notify('tokenmin: no language server attached to this buffer', vim.log.levels.WARN)
    return callback('no client')
  end
  local params = { command = M.token_view_command, arguments = { { uri = vim.uri_from_bufnr(bufnr) } } }
  client:request('workspace/executeCommand', params, function(err, result)
    if err or type(result) ~= 'table' then
      vim.notify('tokenmin: token view failed: ' .. vim.inspect(err or result), vim.log.levels.ERROR)
      return callback(err or 'no result')
    end
    local shown = M.show_token_view(bufnr, result, client.offset_encoding)
    vim.notify(
      string.format('tokenmin: %d tokens (%s)', result.tokenCount or shown, result.encoding or '?'),
      vim.log.levels.INFO
    )
    callback(nil, result)
  end, bufnr)
end

return M
