"""The bundled price catalog against its source: the litellm wheel that setup-venv.sh downloads.

- `tokenmin prices import` on the wheel's model_prices_and_context_window_backup.json reproduces
  Sources/CEmbeddedData/data/model-catalog.json byte for byte;
- the catalog's as-of date is the build timestamp of that file inside the wheel;
- a dozen real models shown by `tokenmin prices show --format json` carry the file's prices and windows.

Needs TOKENMIN_BIN (set by Tests/all.sh) and .venv/wheels/litellm-1.106.2-*.whl.
"""

import glob
import json
import os
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "Sources/CEmbeddedData/data/model-catalog.json"
MEMBER = "litellm/model_prices_and_context_window_backup.json"


def tokenmin() -> str:
    binary = os.environ.get("TOKENMIN_BIN")
    if not binary or not os.access(binary, os.X_OK):
        pytest.fail("TOKENMIN_BIN must name the built tokenmin executable (Tests/all.sh sets it)")
    return binary


def wheel() -> zipfile.ZipFile:
    wheels = sorted(glob.glob(str(ROOT / ".venv/wheels/litellm-1.106.2-*.whl")))
    if not wheels:
        pytest.fail("no litellm 1.106.2 wheel in .venv/wheels; run bash Tests/python/setup-venv.sh")
    return zipfile.ZipFile(wheels[0])


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("litellm") / "model_prices_and_context_window_backup.json"
    with wheel() as archive:
        path.write_bytes(archive.read(MEMBER))
    return path


def bundled_header() -> dict:
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    return {key: catalog[key] for key in ("source", "asOf", "asOfBasis")}


def test_import_reproduces_bundled_catalog(source, tmp_path):
    header = bundled_header()
    output = tmp_path / "catalog.json"
    result = subprocess.run(
        [tokenmin(), "prices", "import", str(source), "--output", str(output), "--source", header["source"],
         "--as-of", header["asOf"], "--as-of-basis", header["asOfBasis"]],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == CATALOG.read_bytes(), "re-import differs from the bundled catalog"


def test_as_of_is_the_wheel_build_date():
    with wheel() as archive:
        year, month, day = archive.getinfo(MEMBER).date_time[:3]
    assert bundled_header()["asOf"] == f"{year:04d}-{month:02d}-{day:02d}"


# (how a prompt names it, the LiteLLM key it comes from)
MODELS = [
    ("gpt-4o", "gpt-4o"),
    ("gpt-4o-mini", "gpt-4o-mini"),
    ("openai/gpt-4.1", "gpt-4.1"),
    ("gpt-5", "gpt-5"),
    ("o3-mini", "o3-mini"),
    ("gpt-3.5-turbo", "gpt-3.5-turbo"),
    ("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
    ("claude-haiku-4-5", "claude-haiku-4-5"),
    ("anthropic/claude-opus-4-5", "claude-opus-4-5"),
    ("googleai/gemini-2.5-flash", "gemini/gemini-2.5-flash"),
    ("googleai/gemini-2.5-pro", "gemini/gemini-2.5-pro"),
    ("vertexai/gemini-2.5-pro", "gemini-2.5-pro"),
    ("mistral/mistral-large-latest", "mistral/mistral-large-latest"),
    ("bedrock/meta.llama3-3-70b-instruct-v1:0", "meta.llama3-3-70b-instruct-v1:0"),
]


def decimal(value) -> Decimal | None:
    # repr() gives the shortest spelling of the float, as the JSON file wrote it.
    return None if value is None else Decimal(repr(float(value)))


@pytest.mark.parametrize("query,key", MODELS)
def test_model_matches_source(source, query, key):
    entry = json.loads(source.read_text(encoding="utf-8"))[key]
    result = subprocess.run([tokenmin(), "prices", "show", "--format", "json", query],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert Decimal(shown["inputPerToken"]) == decimal(entry["input_cost_per_token"])
    assert Decimal(shown["outputPerToken"]) == decimal(entry["output_cost_per_token"])
    for ours, theirs in (("cacheReadPerToken", "cache_read_input_token_cost"),
                         ("cacheWritePerToken", "cache_creation_input_token_cost")):
        assert (Decimal(shown[ours]) if ours in shown else None) == decimal(entry.get(theirs)), ours
    assert shown.get("maxInputTokens") == entry.get("max_input_tokens")
    assert shown.get("maxOutputTokens") == entry.get("max_output_tokens")
    above = entry.get("input_cost_per_token_above_200k_tokens")
    tiers = shown.get("tiers", [])
    assert (Decimal(tiers[0]["inputPerToken"]) if tiers else None) == decimal(above)
    # OpenAI models count exactly; everything else is an estimate and says so.
    assert shown["exact"] == (shown["provider"] == "openai")
