--- :checkhealth tokenmin — Neovim version, the tokenmin binary and its version, the language server
--- (enabled, running, attached buffers) and the settings sent to it.
local M = {}

-- The server-read settings (editors/settings.json without the `tokenmin.` prefix) and their values.
local detail_values = { off = true, tokens = true, cost = true, full = true }
local severity_values = { off = true, hint = true, information = true, info = true, warning = true, error = true }

local function check_settings(settings)
  local health = vim.health
  health.info('settings sent to the server: ' .. vim.inspect(settings))
  local known = { inlayHints = true, defaultModel = true, volume = true, rules = true }
  for key in pairs(settings) do
    if not known[key] then
      health.warn(string.format("unknown setting '%s' (known: inlayHints, defaultModel, volume, rules)", key))
    end
  end
  local hints = settings.inlayHints
  if hints ~= nil and (type(hints) ~= 'table' or (hints.detail ~= nil and not detail_values[hints.detail])) then
    health.error("inlayHints.detail must be one of 'off', 'tokens', 'cost', 'full'")
  end
  if settings.defaultModel ~= nil and type(settings.defaultModel) ~= 'string' then
    health.error('defaultModel must be a model id string')
  end
  if settings.volume ~= nil and type(settings.volume) ~= 'number' and type(settings.volume) ~= 'string' then
    health.error('volume must be a number of calls per month (or a string such as "8M/month")')
  end
  if settings.rules ~= nil then
    if type(settings.rules) ~= 'table' then
      health.error('rules must be a table of rule id = severity')
    else
      for id, severity in pairs(settings.rules) do
        if not severity_values[severity] then
          health.error(string.format("rules.%s = %s: use off, hint, information, warning or error", id, vim.inspect(severity)))
        end
      end
    end
  end
end

function M.check()
  local health = vim.health
  health.start('tokenmin')
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()))
  else
    health.error('Neovim 0.11 or later is required (vim.lsp.config, vim.lsp.enable)')
  end
  local tokenmin = require('tokenmin')
  if not tokenmin.configured then
    health.warn("require('tokenmin').setup() was not called: the language server is not enabled")
  end

  local cmd = tokenmin.command()
  if type(cmd) == 'table' and type(cmd[1]) == 'string' then
    local executable = vim.fn.exepath(cmd[1])
    if executable == '' then
      health.error(string.format("'%s' not found or not executable", cmd[1]), {
        'Install tokenmin (see the README) or put it on PATH',
        "Or set the full path: require('tokenmin').setup({ path = '/path/to/tokenmin' })",
      })
    else
      health.ok('binary: ' .. executable)
      local ok, result = pcall(function()
        return vim.system({ executable, '--version' }, { text = true }):wait(5000)
      end)
      if ok and result.code == 0 then
        health.ok('version: ' .. vim.trim(result.stdout or ''))
      else
        health.error(string.format("'%s --version' failed: %s", executable, ok and vim.trim(result.stderr or '') or tostring(result)))
      end
    end
  else
    health.info('cmd is a function (an RPC connection): not checked')
  end

  if vim.lsp.is_enabled and vim.lsp.is_enabled('tokenmin') then
    health.ok("vim.lsp.enable('tokenmin') is on for filetypes " .. table.concat(tokenmin.options.filetypes, ', '))
  else
    health.warn('the tokenmin language server is not enabled')
  end
  local clients = vim.lsp.get_clients({ name = 'tokenmin' })
  if #clients == 0 then
    health.info('no tokenmin client is running (open a .prompt file)')
  end
  for _, client in ipairs(clients) do
    local buffers = vim.tbl_keys(client.attached_buffers or {})
    table.sort(buffers)
    local names = {}
    for _, bufnr in ipairs(buffers) do
      table.insert(names, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':~:.'))
    end
    health.ok(string.format(
      'LSP attached: client %d, root %s, position encoding %s, buffers: %s',
      client.id, client.root_dir or "(none: each file's folder)", client.offset_encoding or '?',
      #names > 0 and table.concat(names, ', ') or '(none)'
    ))
  end

  check_settings(tokenmin.options.settings or {})
end

return M
