"""Runs grammars/dotprompt.tmLanguage.json through a real TextMate engine (textmate-grammar-python).

The engine is a Python re-implementation of vscode-textmate on Oniguruma. Two of its quirks shape
this module: importing it creates a `.textmate_cache` folder in the current directory (so the import
happens inside a throwaway directory), and an `include` of a grammar it does not know crashes it (so
an empty stand-in is registered for `source.yaml`, which VS Code supplies from its YAML extension).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
GRAMMAR_PATH = REPO_ROOT / "grammars" / "dotprompt.tmLanguage.json"
SCOPE_NAME = "source.dotprompt"


@dataclass(frozen=True)
class Token:
    """One run of characters with the same scope stack; line and column are 0-based code points."""

    line: int
    column: int
    text: str
    scopes: tuple[str, ...]


@contextlib.contextmanager
def _inside_throwaway_directory():
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="tokenmin-textmate-") as scratch:
        os.chdir(scratch)
        try:
            yield
        finally:
            os.chdir(previous)


@functools.cache
def _parser():
    with _inside_throwaway_directory():
        from textmate_grammar.parsers.base import LanguageParser
    # The engine logs every unmatched character as a warning; the snapshots are the record.
    logging.getLogger("textmate_grammar").setLevel(logging.CRITICAL)
    LanguageParser({"name": "YAML (empty stand-in)", "scopeName": "source.yaml", "patterns": []})
    grammar = json.loads(GRAMMAR_PATH.read_text(encoding="utf-8"))
    return LanguageParser(grammar)


def tokenize(text: str) -> list[Token]:
    """Tokenizes a whole document; an empty document yields no tokens."""
    element = _parser().parse_string(text)
    if element is None:
        return []
    return [Token(pos[0], pos[1], chunk, tuple(scopes)) for pos, chunk, scopes in element.flatten()]


def snapshot(text: str, *, include_text: bool) -> str:
    """Renders tokens one per line: `line:column+length  "text"  scopes` (root scope omitted).

    `include_text=False` leaves the characters out, for documents that must not be copied into the
    repository (the shared Dotprompt samples); position and length still pin every token down.
    """
    lines = []
    for token in tokenize(text):
        scopes = " ".join(s for s in token.scopes if s != SCOPE_NAME) or "-"
        where = f"{token.line + 1}:{token.column}+{len(token.text)}"
        if include_text:
            lines.append(f"{where}  {json.dumps(token.text, ensure_ascii=False)}  {scopes}")
        else:
            lines.append(f"{where}  {scopes}")
    return "\n".join(lines) + "\n"


def scopes_at(text: str, line: int, column: int) -> tuple[str, ...]:
    """The scope stack of the character at 0-based (line, column); () if no token covers it."""
    for token in tokenize(text):
        if token.line == line and token.column <= column < token.column + len(token.text):
            return token.scopes
    return ()


def grammar_scope_names() -> set[str]:
    """Every `name`/`contentName` the grammar can assign (space-separated names split)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "contentName") and isinstance(value, str):
                    found.update(value.split())
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    grammar = json.loads(GRAMMAR_PATH.read_text(encoding="utf-8"))
    walk(grammar.get("patterns", []))
    walk(grammar.get("repository", {}))
    return found
