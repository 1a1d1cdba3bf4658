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

--- The command that starts the server, as configured.
function M.command()
  return M.options.cmd or { M.options.path, 'lsp' }
end

--- Why the server cannot start, or nil: the executable of the command is not found (a `cmd`
--- function is not checked).
function M.start_problem()
  local cmd = M.command()
  if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' then
    return nil
  end
  if vim.fn.executable(cmd[1]) == 1 then
    return nil
  end
  return string.format(
    "tokenmin: cannot start the language server: '%s' is not an executable file (is tokenmin on PATH?). "
      .. "Set `path` in require('tokenmin').setup(); see :checkhealth tokenmin",
    cmd[1]
  )
end

local notified = false

-- Neovim starts the server silently when a .prompt buffer opens, and says nothing when it cannot:
-- the first such buffer gets the reason as an error message.
local function report_start_problem()
  if notified then
    return
  end
  local problem = M.start_problem()
  if problem then
    notified = true
    vim.notify(problem, vim.log.levels.ERROR)
  end
end

--- Configures and enables the `tokenmin` language server.
--- @param opts table|nil see the defaults above and :help tokenmin-setup
function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  M.configured = true
  notified = false
  local options = M.options
  define_highlights()
  local group = vim.api.nvim_create_augroup('tokenmin.start', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = options.filetypes,
    callback = report_start_problem,
  })
  -- Neovim 0.11 fires LspNotify for the buffer that is current when a change is sent, not for the
  -- changed one: a debounced didChange flushed just after switching buffers re-requests the hints of
  -- the new buffer, and the edited one keeps stale hints. Re-request them for the right buffer.
  vim.api.nvim_create_autocmd('LspNotify', {
    group = group,
    callback = function(args)
      local data = args.data or {}
      if data.method ~= 'textDocument/didChange' or not options.inlay_hints then
        return
      end
      local client = vim.lsp.get_client_by_id(data.client_id)
      local uri = vim.tbl_get(data, 'params', 'textDocument', 'uri')
      if not client or client.name ~= 'tokenmin' or not uri then
        return
      end
      local changed = vim.uri_to_bufnr(uri)
      if changed ~= args.buf and vim.api.nvim_buf_is_loaded(changed) and vim.lsp.inlay_hint.is_enabled({ bufnr = changed }) then
        vim.lsp.inlay_hint.enable(true, { bufnr = changed })
      end
    end,
  })
  -- Neovim watches no files on Linux and BSD (it does not offer didChangeWatchedFiles there), so a
  -- saved `.tokenmin.yml`, sample input or partial would not reach the server until the prompts that
  -- use it are edited. Forward saves of those files as watched-file changes.
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = group,
    pattern = { '.tokenmin.yml', '.tokenmin.yaml', '*.sample.json', '_*.prompt' },
    callback = function(args)
      local uri = vim.uri_from_fname(vim.fn.fnamemodify(args.file, ':p'))
      for _, client in ipairs(vim.lsp.get_clients({ name = 'tokenmin' })) do
        client:notify('workspace/didChangeWatchedFiles', { changes = { { uri = uri, type = 2 } } })
      end
    end,
  })
  vim.lsp.config('tokenmin', {
    cmd = M.command(),
    -- A server that starts and then fails (a crash, a wrong binary) is reported too; a normal
    -- shutdown exits with 0.
    on_exit = function(code, signal)
      if code ~= 0 then
        vim.schedule(function()
          vim.notify(
            string.format('tokenmin: the language server exited with code %d (signal %d); :LspLog has its messages', code, signal or 0),
            vim.log.levels.ERROR
          )
        end)
      end
    end,
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
  -- Buffers opened before setup() ran (a plugin manager loading on `ft = 'dotprompt'`).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(options.filetypes, vim.bo[bufnr].filetype) then
      report_start_problem()
      break
    end
  end
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
    -- The view counts the file as written; the hints count the rendered call. Say which is which.
    local message = string.format('tokenmin: %d tokens in the file as written (%s)', result.tokenCount or shown, result.encoding or '?')
    if result.inputTokens then
      message = message .. string.format('; the call sends %d input tokens (rendered messages + framing, as in the hints)', result.inputTokens)
    end
    vim.notify(message, vim.log.levels.INFO)
    callback(nil, result)
  end, bufnr)
end

return M
