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


# 4. Exit codes tell the truth.


def test_count_reports_files_it_cannot_count(tree):
    (tree / "binary.prompt").write_bytes(b"\xff\xfe\x00\x01binary")
    huge = tree / "huge.prompt"
    huge.write_text("Hello\n")
    os.truncate(huge, 50 << 20)  # sparse: instant to create, refused by size without reading
    result = run("count", "binary.prompt", "huge.prompt", "p.prompt", cwd=tree)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "binary.prompt: the file is not valid UTF-8 text" in result.stderr
    assert "huge.prompt: the file is 52428800 bytes, over the 8388608-byte analysis limit" in result.stderr
    assert result.stdout.startswith("p.prompt  openai/gpt-4o"), result.stdout  # the countable file is still counted
    checked = run("check", "binary.prompt", "huge.prompt", cwd=tree)
    assert checked.returncode == 1 and checked.stdout.count("error[unreadable-file]") == 2


def test_render_exit_codes(tree):
    (tree / "unclosed.prompt").write_text("---\nmodel: openai/gpt-4o\n---\n{{#if urgent}}Escalate {{ticket}}\n")
    unclosed = run("render", "unclosed.prompt", "--format", "text", cwd=tree)
    assert unclosed.returncode == 1
    assert "unclosed.prompt:4:1: error[unclosed-block]:" in unclosed.stderr
    (tree / "binary.prompt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    binary = run("render", "binary.prompt", cwd=tree)
    assert binary.returncode == 2 and binary.stdout == ""
    assert "binary.prompt is not valid UTF-8 text" in binary.stderr
    ok = run("render", "p.prompt", "--input", "{}", cwd=tree)
    assert ok.returncode == 0 and json.loads(ok.stdout)["messages"][0]["content"][0]["text"].startswith("Summarize")
    # --quiet drops the list of inputs without a value, never the errors.
    (tree / "vars.prompt").write_text("Hello {{name}}\n")
    assert "no value for: name" in run("render", "vars.prompt", cwd=tree).stderr
    assert run("render", "vars.prompt", "--quiet", cwd=tree).stderr == ""
    assert "error[unclosed-block]" in run("render", "unclosed.prompt", "-q", cwd=tree).stderr


def test_render_help_describes_the_text_format_it_prints(tree):
    help_text = run("render", "--help", cwd=tree).stdout
    assert '"[role]" line' in help_text and "--quiet" in help_text
    (tree / "two.prompt").write_text('{{role "system"}}Be brief.\n{{role "user"}}Hi {{name}}\n')
    text = run("render", "two.prompt", "--format", "text", "--input", '{"name": "Ada"}', cwd=tree).stdout
    assert text == "[system]\nBe brief.\n[user]\nHi Ada\n", text


def test_fmt_refusals_are_not_success(tree):
    (tree / "unclosed.prompt").write_text("---\nmodel:   openai/gpt-4o\n---\n{{#if x}}Hello\n")
    binary = b"---\nmodel: x\n---\nCaf\xe9  \n"
    (tree / "latin1.prompt").write_bytes(binary)
    for args in (["fmt", "--check", "unclosed.prompt"], ["fmt", "unclosed.prompt"], ["fmt", "--check", "latin1.prompt"]):
        result = run(*args, cwd=tree)
        assert result.returncode == 1, args
        assert "not formatted:" in result.stderr, args
    assert run("fmt", "latin1.prompt", cwd=tree).returncode == 1
    assert (tree / "latin1.prompt").read_bytes() == binary  # never rewritten with replacement characters
    assert "{{#if x}}" in (tree / "unclosed.prompt").read_text()
    assert run("fmt", "--check", "p.prompt", cwd=tree).returncode == 0


def test_fmt_quiet(tree):
    messy = "---\nmodel:    openai/gpt-4o\n---\nHello.   \n"
    (tree / "messy.prompt").write_text(messy)
    formatted = run("fmt", "-", cwd=tree, stdin=messy).stdout
    assert formatted != messy
    listed = run("fmt", "--check", "messy.prompt", cwd=tree)
    assert listed.returncode == 1 and listed.stdout == "messy.prompt\n"
    quiet_check = run("fmt", "--check", "--quiet", "messy.prompt", cwd=tree)
    assert quiet_check.returncode == 1 and quiet_check.stdout == "" and quiet_check.stderr == ""
    quiet = run("fmt", "-q", "messy.prompt", cwd=tree)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert (tree / "messy.prompt").read_text() == formatted


def test_failed_baseline_gate_says_why(tree):
    (tree / "prompts").mkdir()
    grows = tree / "prompts" / "grows.prompt"
    grows.write_text(PROMPT)
    assert run("check", "prompts", "--write-baseline", "baseline.json", cwd=tree).returncode == 0
    grows.write_text(PROMPT + "Mention the ticket id, the customer's plan and the product area in the summary too.\n")
    text = run("check", "prompts", "--baseline", "baseline.json", cwd=tree)
    assert text.returncode == 1
    summary = text.stdout.strip().splitlines()[-1]
    assert summary.startswith("1 prompt, 0 errors,"), summary
    assert "token-growth gate failed: 1 prompt grew more than +10.0% over the baseline" in summary, summary
    github = run("check", "prompts", "--baseline", "baseline.json", "--format", "github", cwd=tree)
    assert github.returncode == 1
    assert "::error file=prompts/grows.prompt,title=tokenmin(token-growth)::input tokens" in github.stdout, github.stdout
    quiet = run("check", "prompts", "--baseline", "baseline.json", "--quiet", cwd=tree)
    assert quiet.returncode == 1 and "over the allowed growth of +10.0%" in quiet.stdout
    assert "prompt," not in quiet.stdout  # no summary line


# 5. Numbers that do not contradict themselves.


def test_budget_overage_shows_enough_digits(tmp_path):
    # gpt-4o-mini: $0.15/MTok in, $0.60/MTok out. 14 input + 50 output tokens = $0.0000321 per call.
    (tmp_path / "p.prompt").write_text(PROMPT.replace("openai/gpt-4o", "openai/gpt-4o-mini"))
    count = json.loads(run("count", "p.prompt", "--format", "json", cwd=tmp_path).stdout)[0]
    usd = Decimal(count["usdPerCall"])
    limit = (usd / Decimal("1.02")).quantize(Decimal("0.0000001"))
    (tmp_path / ".tokenmin.yml").write_text(f"budget: {{usdPerCall: {limit}}}\n")
    result = run("check", "p.prompt", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if "budget-exceeded" in line]
    shown = re.search(r"\$([0-9.]+) per call \(budget \$([0-9.]+)\) is over budget \(([0-9.]+)%\)", line)
    assert shown, line
    assert Decimal(shown[1]) > Decimal(shown[2]), line  # the overage is visible in the amounts
    assert Decimal(shown[3]) > 100


def test_count_and_report_agree_on_exactness(tmp_path):
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    prompts = {
        "exact.prompt": PROMPT,
        "open.prompt": PROMPT.replace("the ticket", "{{ticket}}"),
        "tools.prompt": PROMPT.replace("config:", "tools: [lookup, refund]\nconfig:"),
        "estimate.prompt": PROMPT.replace("openai/gpt-4o", "anthropic/claude-sonnet-4-5"),
    }
    for name, text in prompts.items():
        (tmp_path / name).write_text(text)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "prompts"], cwd=tmp_path, check=True, env=env)
    for name in prompts:
        count_line = next(l for l in run("count", name, cwd=tmp_path).stdout.splitlines() if l.startswith("  input "))
        count_tokens = re.match(r"  input (≈?\d+) tokens( \+ \?)?", count_line)
        report_text = run("report", "--history", name, cwd=tmp_path).stdout
        report_tokens = re.search(r"  (≈?\d+)( \+ \?)? tokens", report_text)
        assert count_tokens and report_tokens, (count_line, report_text)
        assert count_tokens.groups() == report_tokens.groups(), (name, count_line, report_text)
        markdown = run("count", name, "--format", "markdown", cwd=tmp_path).stdout.splitlines()[2]
        assert f"| {count_tokens[1]}{count_tokens[2] or ''} |" in markdown, (name, markdown)
    expectations = {"exact.prompt": ("", None), "open.prompt": ("", " + ?"), "tools.prompt": ("≈", None),
                    "estimate.prompt": ("≈", None)}
    for name, (approx, open_mark) in expectations.items():
        count_line = next(l for l in run("count", name, cwd=tmp_path).stdout.splitlines() if l.startswith("  input "))
        groups = re.match(r"  input (≈?)\d+ tokens( \+ \?)?", count_line).groups()
        assert groups == (approx, open_mark), (name, count_line)


def test_count_explains_tool_tokens_and_totals(tmp_path):
    (tmp_path / "named.prompt").write_text(PROMPT.replace("config:", "tools: [lookup, refund, escalate]\nconfig:"))
    (tmp_path / "plain.prompt").write_text(PROMPT)
    result = run("count", ".", "--volume", "1M/month", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tools_line = next(l for l in result.stdout.splitlines() if l.startswith("  tools"))
    assert "3 named without a definition, 100 tokens assumed each" in tools_line, tools_line
    assert "sent with every call" in tools_line
    tools_tokens = int(re.match(r"  tools +≈(\d+) tokens", tools_line)[1])
    framing = re.search(r"; (\d+) of framing", tools_line)
    assert tools_tokens == 300 + (int(framing[1]) if framing else 0), tools_line
    rows = json.loads(run("count", ".", "--format", "json", "--volume", "1M/month", cwd=tmp_path).stdout)
    total_line = result.stdout.splitlines()[-1]
    total = re.match(r"total  2 prompts · input ≈(\d+) tokens · ≈(\$[0-9.]+)/call · ≈(\$[0-9.,k]+)/month", total_line)
    assert total, total_line
    assert int(total[1]) == sum(row["inputTokens"] for row in rows)
    assert run("count", "plain.prompt", cwd=tmp_path).stdout.count("total") == 0  # one prompt: no total line


# 6. Small things.


def test_configuration_file_is_not_counted_as_a_prompt(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.prompt").write_text(PROMPT)
    (tmp_path / ".tokenmin.yml").write_text("modle: openai/gpt-4o\n")  # a problem, so it is reported
    result = run("check", ".", cwd=tmp_path)
    assert ".tokenmin.yml:1:1: error[invalid-configuration]" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("3 prompts, 1 error"), result.stdout
    summary = json.loads(run("check", ".", "--format", "json", cwd=tmp_path).stdout)["summary"]
    assert summary["prompts"] == 3 and summary["files"] == 4


def test_parse_json_is_indented(tree):
    result = run("parse", "p.prompt", "--format", "json", cwd=tree)
    assert result.returncode == 0
    assert result.stdout.startswith('{\n  "file": "p.prompt",\n  "header": {\n    "start": 0,'), result.stdout[:200]
    assert json.loads(result.stdout)["frontmatter"]["yaml"]["kind"] == "mapping"


def test_check_quiet(tree):
    clean = run("check", "p.prompt", "--quiet", cwd=tree)
    assert clean.returncode == 0 and clean.stdout == "" and clean.stderr == ""
    (tree / "wasteful.prompt").write_text(PROMPT.replace("Summarize", "Please summarize"))
    noisy = run("check", "wasteful.prompt", "-q", "--fail-on", "info", cwd=tree)
    assert noisy.returncode == 1 and noisy.stdout.splitlines() == [
        line for line in run("check", "wasteful.prompt", cwd=tree).stdout.splitlines() if "[politeness]" in line
    ]
    fixed = run("check", "--fix", "-q", "wasteful.prompt", cwd=tree)
    assert fixed.returncode == 0 and fixed.stdout == "" and fixed.stderr == ""
    assert "Please" not in (tree / "wasteful.prompt").read_text()


@pytest.mark.parametrize("command", ["check", "fmt", "render"])
def test_quiet_is_documented(tree, command):
    assert "--quiet" in run(command, "--help", cwd=tree).stdout
