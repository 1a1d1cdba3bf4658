"""Runs the VS Code extension's own tests (Node's built-in test runner, no npm packages)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from grammar_engine import REPO_ROOT

EXTENSION = REPO_ROOT / "editors" / "vscode"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed; the VS Code extension tests need Node >= 20")
def test_vscode_extension_node_tests() -> None:
    result = subprocess.run(
        ["node", "--test", "test/"],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=60,
    )
    summary = [line for line in result.stdout.splitlines() if line.startswith(("# pass", "# fail", "not ok"))]
    assert result.returncode == 0, "node --test failed:\n" + result.stdout[-6000:] + result.stderr[-2000:]
    assert any(line.startswith("# pass") and int(line.split()[-1]) > 0 for line in summary), result.stdout[-2000:]
