"""The command line keeps the promises its help and the README make, checked on the built binary: no
crash on any path (one-character paths, `-` for standard input), command-line flags win over
`.tokenmin.yml`, exit codes tell the truth, numbers agree with each other, and the small things
(`--quiet`, one wording for a missing file, indented JSON)."""

import json
import os
import pathlib
import re
import subprocess
from decimal import Decimal

import pytest

BIN = os.environ.get("TOKENMIN_BIN", "tokenmin")

PROMPT = "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 50\n---\nSummarize the ticket in one line.\n"
NO_MODEL = "---\nconfig:\n  maxOutputTokens: 50\n---\nSummarize the ticket in one line.\n"


def run(*args, cwd, stdin=None):
    result = subprocess.run(
        [BIN, *args], cwd=cwd, input=stdin, capture_output=True, text=stdin is None or isinstance(stdin, str), timeout=120
    )
    return result


def crashed(result) -> bool:
    """A signal (negative return code) or Swift's crash report."""
    err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode("utf-8", "replace")
    return result.returncode < 0 or result.returncode > 128 or "Program crashed" in err


def missing(path: str, result) -> bool:
    """The one wording of a missing path (check's report adds its severity label, as for findings)."""
    return re.search(rf"(^|: ){re.escape(path)}: (error: )?no such file or folder$", result.stdout + result.stderr, re.M) is not None


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "p.prompt").write_text(PROMPT)
    (tmp_path / "x").write_text(PROMPT)  # a prompt file with a one-character name
    return tmp_path


# 1. One-character paths and standard input.


@pytest.mark.parametrize("command", ["check", "count", "fmt", "render", "parse"])
@pytest.mark.parametrize("path", ["x", "y", "a/", "-"])
def test_one_character_paths_never_crash(tree, command, path):
    args = [command, path] + (["--check"] if command == "fmt" else [])
    result = run(*args, cwd=tree, stdin=PROMPT if path == "-" else "")
    assert not crashed(result), result.stderr[-2000:]
    assert result.returncode in (0, 1, 2)
    if path == "y":
        assert result.returncode == 2
        assert missing("y", result)


def test_existing_one_character_file_is_analysed(tree):
    result = run("check", "x", "--format", "json", cwd=tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["x"]


def test_standard_input_for_check_count_and_fmt(tree):
    checked = run("check", "-", "--format", "json", cwd=tree, stdin=PROMPT)
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert [f["path"] for f in report["files"]] == ["<stdin>"]
    from_file = json.loads(run("check", "p.prompt", "--format", "json", cwd=tree).stdout)
    assert report["files"][0]["cost"] == from_file["files"][0]["cost"]

    counted = run("count", "-", "--format", "json", cwd=tree, stdin=PROMPT)
    assert counted.returncode == 0, counted.stderr
    (row,) = json.loads(counted.stdout)
    assert row["path"] == "<stdin>" and row["inputTokens"] == from_file["files"][0]["cost"]["inputTokens"]

    messy = PROMPT.replace("model: openai/gpt-4o", "model:    openai/gpt-4o").replace("line.\n", "line.   \n\n\n")
    formatted = run("fmt", "-", cwd=tree, stdin=messy)
    assert formatted.returncode == 0 and formatted.stdout == run("fmt", "-", cwd=tree, stdin=formatted.stdout).stdout
    assert run("fmt", "--check", "-", cwd=tree, stdin=messy).returncode == 1
    assert run("fmt", "--check", "-", cwd=tree, stdin=formatted.stdout).returncode == 0


def test_standard_input_findings_and_problems(tree):
    wasteful = PROMPT.replace("Summarize", "Please summarize")
    result = run("check", "-", "--fail-on", "info", cwd=tree, stdin=wasteful)
    assert result.returncode == 1 and "<stdin>:6:1: info[politeness]" in result.stdout, result.stdout
    binary = run("check", "-", cwd=tree, stdin=b"\xff\xfe\x00bad")
    assert binary.returncode == 1 and b"<stdin>" in binary.stdout and b"not valid UTF-8" in binary.stdout
    refused = run("check", "--fix", "-", cwd=tree, stdin=wasteful)
    assert refused.returncode == 2 and "--fix --dry-run" in refused.stderr
    diff = run("check", "--fix", "--dry-run", "-", cwd=tree, stdin=wasteful)
    assert "-Please summarize" in diff.stdout and "+Summarize" in diff.stdout


def test_one_wording_for_a_missing_path(tree):
    outputs = {
        command: run(*args, cwd=tree)
        for command, args in {
            "check": ["check", "gone.prompt"],
            "count": ["count", "gone.prompt"],
            "fmt": ["fmt", "gone.prompt"],
            "render": ["render", "gone.prompt"],
            "parse": ["parse", "gone.prompt"],
            "tokenize": ["tokenize", "--encoding", "o200k_base", "gone.prompt"],
            "raw count": ["count", "--raw", "--encoding", "o200k_base", "gone.prompt"],
            "baseline": ["check", "p.prompt", "--baseline", "gone.prompt"],
        }.items()
    }
    for command, result in outputs.items():
        assert result.returncode == 2, command
        assert missing("gone.prompt", result), (command, result.stdout, result.stderr)


# 3. Command-line flags win over .tokenmin.yml (and a prompt's metadata.tokenmin).


def test_flags_win_over_configuration(tmp_path):
    (tmp_path / ".tokenmin.yml").write_text("model: openai/gpt-4o-mini\nvolume: 1M/month\n")
    (tmp_path / "a.prompt").write_text(NO_MODEL)
    (tmp_path / "b.prompt").write_text(NO_MODEL.replace("config:", "metadata:\n  tokenmin:\n    volume: 5M/month\nconfig:"))

    def costs(*flags):
        result = run("count", ".", "--format", "json", *flags, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return {row["path"]: row for row in json.loads(result.stdout)}

    configured = costs()
    assert configured["a.prompt"]["modelId"] == "openai/gpt-4o-mini"
    assert Decimal(configured["a.prompt"]["callsPerMonth"]) == 1_000_000
    assert Decimal(configured["b.prompt"]["callsPerMonth"]) == 5_000_000  # the prompt's own metadata

    flagged = costs("--model", "openai/gpt-4o", "--volume", "2M/month")
    for path in ("a.prompt", "b.prompt"):
        row = flagged[path]
        assert row["modelId"] == "openai/gpt-4o", row
        assert Decimal(row["callsPerMonth"]) == 2_000_000
        assert Decimal(row["usdPerMonth"]) == Decimal(row["usdPerCall"]) * 2_000_000

    checked = run("check", ".", "--format", "json", "--model", "openai/gpt-4o", "--volume", "250k/day", cwd=tmp_path)
    files = {f["path"]: f for f in json.loads(checked.stdout)["files"]}
    assert files["a.prompt"]["cost"]["modelId"] == "openai/gpt-4o"
    assert Decimal(files["b.prompt"]["cost"]["callsPerMonth"]) == 250_000 * 30

    # A prompt's own `model:` is not configuration: --model only fills in for prompts that name none.
    (tmp_path / "c.prompt").write_text(PROMPT.replace("openai/gpt-4o", "openai/gpt-4.1"))
    assert costs("--model", "openai/gpt-4o")["c.prompt"]["modelId"] == "openai/gpt-4.1"
    bad = run("count", ".", "--volume", "lots", cwd=tmp_path)
    assert bad.returncode == 2 and "--volume" in bad.stderr
