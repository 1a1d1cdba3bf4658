"""Scope snapshots of the Dotprompt TextMate grammar, compared with committed golden files.

Goldens are never edited by hand. Regenerate them after a deliberate grammar change with
    TOKENMIN_UPDATE_GOLDENS=1 .venv/bin/python -m pytest Tests/python/grammar
and review the diff. Fixtures in fixtures/ are snapshotted with their text; the shared Dotprompt
samples (../shared/dotprompt-samples) are snapshotted as positions and scopes only, because their
text must not be copied into this repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grammar_engine import REPO_ROOT, grammar_scope_names, snapshot, tokenize

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDENS = HERE / "goldens"
SAMPLES = REPO_ROOT.parent / "shared" / "dotprompt-samples"
UPDATE = os.environ.get("TOKENMIN_UPDATE_GOLDENS") == "1"
MISSING_SAMPLES = "<missing ../shared/dotprompt-samples>"


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.prompt"))


def sample_names() -> list[str]:
    if not SAMPLES.is_dir():
        return [MISSING_SAMPLES]
    return sorted(p.name for p in SAMPLES.glob("*.prompt"))


def check(source: Path, golden: Path, *, include_text: bool) -> None:
    """Compares the snapshot of `source` with `golden`, or rewrites `golden` when updating."""
    actual = snapshot(source.read_text(encoding="utf-8"), include_text=include_text)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"no golden {golden.relative_to(REPO_ROOT)}; create it with TOKENMIN_UPDATE_GOLDENS=1")
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, (
        f"scopes of {source.name} differ from {golden.relative_to(REPO_ROOT)}; if the grammar change "
        "is intended, regenerate with TOKENMIN_UPDATE_GOLDENS=1 and review the diff"
    )


@pytest.mark.parametrize("source", fixture_files(), ids=lambda p: p.name)
def test_fixture_snapshot(source: Path) -> None:
    check(source, GOLDENS / "fixtures" / f"{source.stem}.scopes.txt", include_text=True)


@pytest.mark.parametrize("name", sample_names())
def test_shared_sample_snapshot(name: str) -> None:
    if name == MISSING_SAMPLES:
        pytest.fail(f"shared Dotprompt samples not found at {SAMPLES} (expected ../shared beside the repository)")
    check(SAMPLES / name, GOLDENS / "samples" / f"{Path(name).stem}.scopes.txt", include_text=False)


def test_shared_samples_are_all_covered() -> None:
    """Every sample has a golden and every golden has a sample, so none is skipped or stale."""
    assert SAMPLES.is_dir(), f"shared Dotprompt samples not found at {SAMPLES}"
    samples = {Path(n).stem for n in sample_names()}
    assert len(samples) >= 10, f"expected the shared sample set, found {sorted(samples)}"
    if UPDATE:
        for stale in (GOLDENS / "samples").glob("*.scopes.txt"):
            if stale.name.removesuffix(".scopes.txt") not in samples:
                stale.unlink()
    goldens = {p.name.removesuffix(".scopes.txt") for p in (GOLDENS / "samples").glob("*.scopes.txt")}
    assert goldens == samples


def test_fixture_goldens_have_fixtures() -> None:
    fixtures = {p.stem for p in fixture_files()}
    if UPDATE:
        for stale in (GOLDENS / "fixtures").glob("*.scopes.txt"):
            if stale.name.removesuffix(".scopes.txt") not in fixtures:
                stale.unlink()
    goldens = {p.name.removesuffix(".scopes.txt") for p in (GOLDENS / "fixtures").glob("*.scopes.txt")}
    assert goldens == fixtures


def test_fixtures_exercise_every_scope_the_grammar_defines() -> None:
    """A scope no fixture produces is either dead grammar or an untested rule."""
    produced: set[str] = set()
    for source in fixture_files():
        for token in tokenize(source.read_text(encoding="utf-8")):
            produced.update(token.scopes)
    missing = grammar_scope_names() - produced
    assert not missing, f"scopes never produced by any fixture: {sorted(missing)}"


def test_every_scope_name_carries_the_language_suffix() -> None:
    names = grammar_scope_names()
    assert names, "grammar defines no scopes"
    wrong = sorted(n for n in names if not n.endswith(".dotprompt"))
    assert not wrong, f"scope names without the .dotprompt suffix: {wrong}"
