--- Helpers for the Neovim end-to-end tests. Every wait is bounded (vim.wait with a timeout) and every
--- helper returns plain data, so a scenario is a few lines and its result is JSON for pytest.
local T = {}

local POLL_MS = 20

--- The tokenmin client attached to `bufnr`, or nil.
function T.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'tokenmin' })[1]
end

--- Waits until a tokenmin client is attached to `bufnr` (not necessarily initialized).
function T.wait_for_attach(bufnr, timeout_ms)
  local client
  vim.wait(timeout_ms, function()
    client = T.client(bufnr)
    return client ~= nil
  end, POLL_MS)
  return client
end

--- Waits until the server answered `initialize` (client.initialized); returns the client or nil.
function T.wait_for_initialize(bufnr, timeout_ms)
  local client
  vim.wait(timeout_ms, function()
    client = T.client(bufnr)
    return client ~= nil and client.initialized == true
  end, POLL_MS)
  if client and client.initialized then
    return client
  end
  return nil
end

local function position_params(bufnr, client, row, col)
  -- row/col are 0-based, col in bytes; the request carries the negotiated encoding's units.
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
  local character = col
  if client.offset_encoding ~= 'utf-8' then
    character = vim.str_utfindex(line, client.offset_encoding, math.min(col, #line), false)
  end
  return {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = row, character = character },
  }
end

local function request(bufnr, method, params, timeout_ms)
  local client = T.client(bufnr)
  if not client then
    return nil, 'no tokenmin client'
  end
  local response = client:request_sync(method, params, timeout_ms, bufnr)
  if not response then
    return nil, 'timeout waiting for ' .. method
  end
  if response.err then
    return nil, response.err
  end
  return response.result
end
T.request = request

--- Diagnostics of `bufnr` once at least one arrived (push or pull): {code, message, severity, lnum, col, source}.
function T.wait_for_diagnostics(bufnr, timeout_ms)
  local found = {}
  vim.wait(timeout_ms, function()
    found = vim.diagnostic.get(bufnr)
    return #found > 0
  end, POLL_MS)
  local out = {}
  for _, d in ipairs(found) do
    table.insert(out, {
      code = d.code,
      message = d.message,
      severity = d.severity,
      lnum = d.lnum,
      col = d.col,
      source = d.source,
    })
  end
  table.sort(out, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return out
end

local function label_text(label)
  if type(label) == 'string' then
    return label
  end
  local parts = {}
  for _, part in ipairs(label or {}) do
    table.insert(parts, part.value or '')
  end
  return table.concat(parts)
end

--- Inlay hint labels of `bufnr` once at least one arrived: { {line=, character=, label=} }.
function T.inlay_hints(bufnr, timeout_ms)
  local hints = {}
  vim.wait(timeout_ms or 5000, function()
    hints = vim.lsp.inlay_hint.get({ bufnr = bufnr })
    return #hints > 0
  end, POLL_MS)
  local out = {}
  for _, item in ipairs(hints) do
    local hint = item.inlay_hint
    table.insert(out, { line = hint.position.line, character = hint.position.character, label = label_text(hint.label) })
  end
  table.sort(out, function(a, b)
    return a.line < b.line or (a.line == b.line and a.character < b.character)
  end)
  return out
end

local function markup_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, item in ipairs(contents) do
    table.insert(parts, type(item) == 'string' and item or item.value or '')
  end
  return table.concat(parts, '\n')
end

--- Hover text at 0-based row and byte column, or nil.
function T.hover_text(bufnr, row, col, timeout_ms)
  local client = T.client(bufnr)
  if not client then
    return nil, 'no tokenmin client'
  end
  local result, err = request(bufnr, 'textDocument/hover', position_params(bufnr, client, row, col), timeout_ms or 5000)
  if not result then
    return nil, err
  end
  return markup_text(result.contents)
end

--- Completion item labels at 0-based row and byte column.
function T.completion_items(bufnr, row, col, timeout_ms)
  local client = T.client(bufnr)
  if not client then
    return nil, 'no tokenmin client'
  end
  local params = position_params(bufnr, client, row, col)
  params.context = { triggerKind = 1 }
  local result, err = request(bufnr, 'textDocument/completion', params, timeout_ms or 5000)
  if not result then
    return nil, err
  end
  local labels = {}
  for _, item in ipairs(result.items or result) do
    table.insert(labels, item.label)
  end
  return labels
end

--- Document symbol names (flattened, depth-first).
function T.document_symbols(bufnr, timeout_ms)
  local result, err = request(bufnr, 'textDocument/documentSymbol',
    { uri = vim.uri_from_bufnr(bufnr) }, timeout_ms or 5000)
  if not result then
    return nil, err
  end
  local names = {}
  local function walk(symbols)
    for _, s in ipairs(symbols) do
      table.insert(names, s.name)
      walk(s.children or {})
    end
  end
  walk(result)
  return names
end

--- Requests code actions over the whole buffer (with its diagnostics as context), applies the first
--- that matches `filter` and returns {title=, lines=} afterwards. `filter` is a Lua pattern for the
--- title, or a table {title = pattern, code = diagnostic code the action fixes}.
function T.apply_code_action(bufnr, filter, timeout_ms)
  if type(filter) == 'string' then
    filter = { title = filter }
  end
  local function matches(action)
    if filter.title and not action.title:find(filter.title) then
      return false
    end
    if filter.code then
      for _, d in ipairs(action.diagnostics or {}) do
        if d.code == filter.code then
          return true
        end
      end
      return false
    end
    return true
  end
  timeout_ms = timeout_ms or 5000
  local client = T.client(bufnr)
  if not client then
    return nil, 'no tokenmin client'
  end
  local last = vim.api.nvim_buf_line_count(bufnr) - 1
  local last_line = vim.api.nvim_buf_get_lines(bufnr, last, last + 1, false)[1] or ''
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(diagnostics, d.user_data and d.user_data.lsp or {
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      message = d.message,
      code = d.code,
    })
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = #last_line } },
    context = { diagnostics = diagnostics },
  }
  local actions, err = request(bufnr, 'textDocument/codeAction', params, timeout_ms)
  if not actions then
    return nil, err
  end
  local titles = {}
  for _, action in ipairs(actions) do
    table.insert(titles, action.title)
    if matches(action) then
      if not action.edit and not action.command and client:supports_method('codeAction/resolve') then
        action = request(bufnr, 'codeAction/resolve', action, timeout_ms) or action
      end
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      end
      local command = action.command
      if type(command) == 'table' then
        local done = false
        client:exec_cmd(command, { bufnr = bufnr }, function()
          done = true
        end)
        vim.wait(timeout_ms, function()
          return done
        end, POLL_MS)
      end
      return { title = action.title, lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false) }
    end
  end
  return nil, 'no code action matches ' .. vim.inspect(filter) .. '; offered: ' .. table.concat(titles, ' | ')
end

--- The server's copy of the document (custom request tokenmin/documentText).
function T.document_text(bufnr, timeout_ms)
  local result, err = request(bufnr, 'tokenmin/documentText',
    { uri = vim.uri_from_bufnr(bufnr) }, timeout_ms or 5000)
  if not result then
    return nil, err
  end
  return type(result) == 'table' and result.text or result
end

--- Runs :TokenminTokens through the plugin and returns {result=, extmarks=} once it finished.
function T.token_view(bufnr, timeout_ms)
  local done, failure, answer = false, nil, nil
  require('tokenmin').token_view(bufnr, function(err, result)
    done, failure, answer = true, err, result
  end)
  vim.wait(timeout_ms or 5000, function()
    return done
  end, POLL_MS)
  if not done then
    return nil, 'timeout waiting for the token view'
  end
  if failure then
    return nil, failure
  end
  local ns = vim.api.nvim_get_namespaces()['tokenmin.tokens']
  local marks = vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })
  local extmarks = {}
  for _, m in ipairs(marks) do
    table.insert(extmarks, { row = m[2], col = m[3], end_row = m[4].end_row, end_col = m[4].end_col, hl = m[4].hl_group })
  end
  return { token_count = answer.tokenCount, encoding = answer.encoding, extmarks = extmarks }
end

--- Syntax group names (innermost last) at 1-based line and column.
function T.syntax_groups(line, col)
  local names = {}
  for _, id in ipairs(vim.fn.synstack(line, col)) do
    table.insert(names, vim.fn.synIDattr(id, 'name'))
  end
  return names
end

--- Runs `body(out, bufnr)` protected, writes `out` (plus any error) as JSON to `path`, and quits.
function T.run(path, body)
  local out = {}
  local ok, err = xpcall(function()
    body(out, vim.api.nvim_get_current_buf())
  end, debug.traceback)
  if not ok then
    out.lua_error = tostring(err)
  end
  local file = assert(io.open(path, 'w'))
  file:write(vim.json.encode(out))
  file:close()
  vim.cmd('qall!')
end

return T
