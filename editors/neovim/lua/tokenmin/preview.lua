--- :TokenminPreview — the buffer rendered with its sample values (input.default,
--- metadata.tokenmin.sample, NAME.sample.json) in a read-only scratch split: each message with its
--- exact tokens and USD, inputs without a value marked ⟨name⟩. The split follows edits: it refreshes
--- after the client sends each change to the server (LspNotify), debounced.
local M = {}

--- Server-side command (workspace/executeCommand); see :help tokenmin-preview.
M.command = 'tokenmin.preview'
--- Milliseconds to wait after the last change sent to the server before asking for the preview.
M.debounce_ms = 150

--- Open previews by source buffer: { buf = preview buffer, timer = uv timer, group = augroup id }.
local previews = {}

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'tokenmin' })[1]
end

local function set_text(buf, text)
  local lines = vim.split(text, '\n', { plain = true })
  if lines[#lines] == '' then
    table.remove(lines)
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
end

--- The preview buffer of `source`, if one is open.
function M.buffer(source)
  local state = previews[source]
  if state and vim.api.nvim_buf_is_valid(state.buf) then
    return state.buf
  end
  return nil
end

--- Asks the server for the preview of `source` and shows it. `callback(err, result)` is called when
--- done (for scripts and tests).
function M.refresh(source, callback)
  callback = callback or function() end
  local buf = M.buffer(source)
  if not buf then
    return callback('no preview')
  end
  local client = client_for(source)
  if not client then
    set_text(buf, 'tokenmin: no language server attached to this buffer')
    return callback('no client')
  end
  local params = { command = M.command, arguments = { { uri = vim.uri_from_bufnr(source) } } }
  -- Client:request sends pending didChange notifications of `source` first, so the server renders
  -- the text as it is now.
  client:request('workspace/executeCommand', params, function(err, result)
    if not vim.api.nvim_buf_is_valid(buf) then
      return callback('closed')
    end
    if err or type(result) ~= 'table' then
      set_text(buf, 'tokenmin: preview failed: ' .. (err and err.message or 'no result'))
      return callback(err or 'no result')
    end
    set_text(buf, result.text or '')
    vim.b[buf].tokenmin_preview_version = result.version
    callback(nil, result)
  end, source)
end

--- Closes the preview of `source`.
function M.close(source)
  local state = previews[source]
  previews[source] = nil
  if not state then
    return
  end
  if state.timer then
    state.timer:stop()
    state.timer:close()
  end
  pcall(vim.api.nvim_del_augroup_by_id, state.group)
  if vim.api.nvim_buf_is_valid(state.buf) then
    vim.api.nvim_buf_delete(state.buf, { force = true })
  end
end

--- Opens the preview of `source` in a split to the right (or closes it when open) and keeps it up to
--- date: every change of `source` sent to the server schedules a refresh `M.debounce_ms` later.
function M.toggle(source, callback)
  source = (source == nil or source == 0) and vim.api.nvim_get_current_buf() or source
  callback = callback or function() end
  if M.buffer(source) then
    M.close(source)
    return callback(nil, { closed = true })
  end
  if not client_for(source) then
    vim.notify('tokenmin: no language server attached to this buffer', vim.log.levels.WARN)
    return callback('no client')
  end
  local buf = vim.api.nvim_create_buf(false, true)
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  vim.bo[buf].filetype = 'tokenminpreview'
  pcall(vim.api.nvim_buf_set_name, buf, 'tokenmin://preview/' .. vim.fn.fnamemodify(vim.api.nvim_buf_get_name(source), ':t'))
  local source_window = vim.api.nvim_get_current_win()
  vim.cmd('botright vsplit')
  vim.api.nvim_win_set_buf(0, buf)
  vim.wo.wrap = true
  vim.api.nvim_set_current_win(source_window)

  local state = { buf = buf, timer = vim.uv.new_timer(), group = vim.api.nvim_create_augroup('tokenmin.preview.' .. source, {}) }
  previews[source] = state
  -- Refresh after the client has sent a change of `source` to the server (LspNotify didChange), so
  -- the preview never renders older text; changes in quick succession refresh once.
  local uri = vim.uri_from_bufnr(source)
  vim.api.nvim_create_autocmd('LspNotify', {
    group = state.group,
    callback = function(args)
      local data = args.data or {}
      local params = data.params or {}
      if data.method ~= 'textDocument/didChange' or (params.textDocument or {}).uri ~= uri then
        return
      end
      state.timer:stop()
      state.timer:start(M.debounce_ms, 0, vim.schedule_wrap(function()
        M.refresh(source)
      end))
    end,
  })
  -- The server reads NAME.sample.json from disk: writing it refreshes the preview too.
  local sample = vim.api.nvim_buf_get_name(source):gsub('%.prompt$', '.sample.json')
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = state.group,
    pattern = '*.sample.json',
    callback = function(args)
      if vim.fn.fnamemodify(args.file, ':p') == sample then
        M.refresh(source)
      end
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = state.group,
    buffer = source,
    callback = function()
      vim.schedule(function()
        M.close(source)
      end)
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = state.group,
    buffer = buf,
    callback = function()
      vim.schedule(function()
        if previews[source] == state then
          M.close(source)
        end
      end)
    end,
  })
  M.refresh(source, callback)
end

return M
