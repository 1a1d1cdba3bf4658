"""Navigation, rename, structure, workspace diagnostics and the rendered preview of `tokenmin lsp`,
through pytest-lsp (responses checked against the LSP specification) for each recorded client.

Every test gets a fresh multi-file workspace (below). Expected ranges are written as text markers
and converted to the position encoding the server negotiated with that client (UTF-16 for VS Code,
UTF-8 for Neovim and Emacs), so emoji and CJK before a target on the same line and CRLF line ends are
checked in each encoding. Token counts are checked against tiktoken.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import re
from decimal import Decimal

import pytest
import pytest_lsp
import tiktoken
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

SUPPORT = (
    "---\n"
    "model: openai/gpt-4o\n"
    "input:\n"
    "  schema:\n"
    "    topic: string, what to write about\n"
    "    tone?: string\n"
    "  default:\n"
    "    tone: friendly\n"
    "output:\n"
    "  schema: Verdict\n"
    "---\n"
    "{{role \"system\"}}\n"
    "{{> header}}\n"
    "Write about {{topic}} in a {{tone}} tone.\n"
    "{{#if tone}}\n"
    "Tone: {{@root.tone}} / {{this.tone}}\n"
    "{{/if}}\n"
    "{{role \"user\"}}\n"
    "<example>\n"
    "{{topic}}\n"
    "</example>\n"
)
HEADER = "You are a writer. Topic: {{topic}}\n"
# Unopened, with emoji and CJK before the inclusion on the same line, and CRLF line ends.
BLOG = "---\r\nmodel: openai/gpt-4o\r\n---\r\n🙂 漢字 {{> header}}\r\nThanks.\r\n"
# A partial of the same name in another folder: a different file, never part of the root's references.
OTHER_HEADER = "Other header.\n"
FAQ = "{{> header}}\n"
CONFIG = "schemas:\n  Verdict:\n    label: string\n"
# Opened: CRLF, emoji and CJK before the variable on the same line.
UNICODE = (
    "---\r\nmodel: openai/gpt-4o\r\ninput:\r\n  schema:\r\n    city: string\r\n---\r\n"
    "🙂漢字 {{city}} and {{@root.city}}\r\n"
)
OUTSIDE_MARKER = "OUTSIDE-THE-WORKSPACE-7f3a"
# The recorded client capability sets (as in conftest.py): VS Code (UTF-16), Neovim 0.11 and Emacs (UTF-8).
CLIENTS = ["visual-studio-code", "neovim@v0.11.0", "emacs"]


@pytest.fixture
def workspace(tmp_path_factory) -> pathlib.Path:
    base = tmp_path_factory.mktemp("navigation").resolve()
    root = base / "workspace"
    (root / "other").mkdir(parents=True)
    (base / "outside").mkdir()
    files = {
        "support.prompt": SUPPORT, "_header.prompt": HEADER, "blog.prompt": BLOG, "other/_header.prompt": OTHER_HEADER,
        "other/faq.prompt": FAQ, ".tokenmin.yml": CONFIG, "unicode.prompt": UNICODE,
    }
    for name, text in files.items():
        (root / name).write_bytes(text.encode("utf-8"))
    (base / "outside" / "_leak.prompt").write_text(OUTSIDE_MARKER + " {{topic}}\n")
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[os.environ.get("TOKENMIN_BIN", "tokenmin"), "lsp", "--log-level", "info"]),
    params=CLIENTS,
)
async def client(lsp_client: LanguageClient, request):
    root = request.getfixturevalue("workspace")
    lsp_client.root = root
    lsp_client.set_configuration({}, section="tokenmin")

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        pass

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params):
        pass

    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            # The same settings as the configuration answer, so they do not change under the tests.
            initialization_options={},
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="workspace")],
        )
    )
    lsp_client.initialize_result = result
    lsp_client.encoding = result.capabilities.position_encoding or "utf-16"
    lsp_client.client_name = request.param
    yield
    await lsp_client.shutdown_session()


# Positions --------------------------------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    """Lines as LSP counts them: `\\n`, `\\r\\n` and a lone `\\r` end a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def at(client: LanguageClient, text: str, needle: str, nth: int = 0, offset: int = 0) -> types.Position:
    """The position of the `nth` occurrence of `needle` in `text` (plus `offset` characters)."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    column = before[before.rfind("\n") + 1:]
    return types.Position(line=line, character=units(column, client.encoding))


def span(client: LanguageClient, text: str, needle: str, nth: int = 0, name: str | None = None) -> types.Range:
    """The range of `name` (default: all of `needle`) inside the `nth` occurrence of `needle`."""
    inner = needle.index(name) if name else 0
    start = at(client, text, needle, nth, inner)
    length = units(name or needle, client.encoding)
    return types.Range(start=start, end=types.Position(line=start.line, character=start.character + length))


def uri(client: LanguageClient, name: str) -> str:
    return (client.root / name).as_uri()


def open_file(client: LanguageClient, name: str, version: int = 1) -> str:
    text = (client.root / name).read_bytes().decode("utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri(client, name), language_id="dotprompt", version=version, text=text)
        )
    )
    return text


def snapshot(root: pathlib.Path) -> dict[str, str]:
    """Every file under the workspace's parent (the outside folder included) with its hash."""
    return {
        str(path.relative_to(root.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.parent.rglob("*")) if path.is_file()
    }


def zero(file_uri: str) -> types.Location:
    origin = types.Position(line=0, character=0)
    return types.Location(uri=file_uri, range=types.Range(start=origin, end=origin))


def check_locations(actual, expected: list[types.Location]) -> None:
    assert [(item.uri, item.range) for item in actual or []] == [(item.uri, item.range) for item in expected]


def edits_by_uri(edit: types.WorkspaceEdit) -> tuple[dict[str, list[tuple[types.Range, str]]], list]:
    """Text edits per URI, from `documentChanges` or `changes`, and the file operations in order."""
    result: dict[str, list[tuple[types.Range, str]]] = {}
    operations = []
    if edit.document_changes is not None:
        for change in edit.document_changes:
            if isinstance(change, types.TextDocumentEdit):
                result.setdefault(change.text_document.uri, []).extend((e.range, e.new_text) for e in change.edits)
            else:
                operations.append(change)
    for file_uri, edits in (edit.changes or {}).items():
        result.setdefault(file_uri, []).extend((e.range, e.new_text) for e in edits)
    return {key: sorted(value, key=lambda e: (e[0].start.line, e[0].start.character)) for key, value in result.items()}, operations


# Definition -------------------------------------------------------------------------------------


async def definition(client: LanguageClient, name: str, position: types.Position):
    return await client.text_document_definition_async(
        types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri(client, name)), position=position)
    )


async def test_definition_of_partials_variables_and_named_schemas(client: LanguageClient):
    text = open_file(client, "support.prompt")
    check_locations(await definition(client, "support.prompt", at(client, text, "{{> header}}", offset=6)),
                    [zero(uri(client, "_header.prompt"))])
    # A use (also through @root) goes to its input.schema key; the Picoschema `?` is not part of the name.
    check_locations(await definition(client, "support.prompt", at(client, text, "{{topic}}", nth=1, offset=3)),
                    [types.Location(uri=uri(client, "support.prompt"), range=span(client, text, "topic: string", name="topic"))])
    check_locations(await definition(client, "support.prompt", at(client, text, "{{@root.tone}}", offset=9)),
                    [types.Location(uri=uri(client, "support.prompt"), range=span(client, text, "tone?: string", name="tone"))])
    check_locations(await definition(client, "support.prompt", at(client, text, "Verdict", offset=2)),
                    [types.Location(uri=uri(client, ".tokenmin.yml"), range=span(client, CONFIG, "Verdict"))])
    # Emoji, CJK and CRLF before the inclusion: the position is in the negotiated encoding.
    blog = open_file(client, "blog.prompt")
    check_locations(await definition(client, "blog.prompt", at(client, blog, "header", offset=1)),
                    [zero(uri(client, "_header.prompt"))])
    # The same name in another folder is that folder's partial.
    faq = open_file(client, "other/faq.prompt")
    check_locations(await definition(client, "other/faq.prompt", at(client, faq, "header")),
                    [zero(uri(client, "other/_header.prompt"))])
    assert await definition(client, "support.prompt", at(client, text, "Write about")) is None


async def test_definition_never_leaves_the_workspace(client: LanguageClient):
    text = SUPPORT.replace("{{> header}}", "{{> ../outside/leak}}")
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri(client, "support.prompt"), language_id="dotprompt", version=1, text=text)))
    assert await definition(client, "support.prompt", at(client, text, "leak")) is None


# References and highlights ----------------------------------------------------------------------


async def references(client: LanguageClient, name: str, position: types.Position, declaration: bool):
    return await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri(client, name)), position=position,
            context=types.ReferenceContext(include_declaration=declaration),
        )
    )


async def test_references_of_a_partial_cover_unopened_files(client: LanguageClient):
    text = open_file(client, "support.prompt")
    found = await references(client, "support.prompt", at(client, text, "header"), declaration=True)
    check_locations(found, [
        zero(uri(client, "_header.prompt")),
        types.Location(uri=uri(client, "blog.prompt"), range=span(client, BLOG, "header")),
        types.Location(uri=uri(client, "support.prompt"), range=span(client, text, "header")),
    ])
    found = await references(client, "support.prompt", at(client, text, "header"), declaration=False)
    assert [item.uri for item in found] == [uri(client, "blog.prompt"), uri(client, "support.prompt")]


async def test_references_of_a_variable_include_the_partials_it_passes_through(client: LanguageClient):
    text = open_file(client, "support.prompt")
    found = await references(client, "support.prompt", at(client, text, "{{topic}}", offset=2), declaration=True)
    here = uri(client, "support.prompt")
    check_locations(found, [
        types.Location(uri=here, range=span(client, text, "topic: string", name="topic")),
        types.Location(uri=here, range=span(client, text, "{{topic}}", 0, "topic")),
        types.Location(uri=here, range=span(client, text, "{{topic}}", 1, "topic")),
        types.Location(uri=uri(client, "_header.prompt"), range=span(client, HEADER, "{{topic}}", name="topic")),
    ])


async def test_document_highlights_of_a_variable(client: LanguageClient):
    text = open_file(client, "support.prompt")
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=types.TextDocumentIdentifier(uri=uri(client, "support.prompt")),
                                      position=at(client, text, "{{tone}}", offset=3)))
    kinds = types.DocumentHighlightKind
    assert [(h.range, h.kind) for h in highlights] == [
        (span(client, text, "tone?: string", name="tone"), kinds.Write),
        (span(client, text, "tone: friendly", name="tone"), kinds.Text),
        (span(client, text, "{{tone}}", name="tone"), kinds.Read),
        (span(client, text, "{{#if tone}}", name="tone"), kinds.Read),
        (span(client, text, "{{@root.tone}}", name="tone"), kinds.Read),
        (span(client, text, "{{this.tone}}", name="tone"), kinds.Read),
    ]
    unicode = open_file(client, "unicode.prompt")
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=types.TextDocumentIdentifier(uri=uri(client, "unicode.prompt")),
                                      position=at(client, unicode, "{{city}}", offset=2)))
    assert [h.range for h in highlights] == [
        span(client, unicode, "city: string", name="city"),
        span(client, unicode, "{{city}}", name="city"),
        span(client, unicode, "{{@root.city}}", name="city"),
    ]


# Rename -----------------------------------------------------------------------------------------


async def prepare(client: LanguageClient, name: str, position: types.Position):
    return await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=types.TextDocumentIdentifier(uri=uri(client, name)), position=position))


async def rename(client: LanguageClient, name: str, position: types.Position, new_name: str):
    return await client.text_document_rename_async(
        types.RenameParams(text_document=types.TextDocumentIdentifier(uri=uri(client, name)), position=position, new_name=new_name))


async def test_rename_a_variable_everywhere_in_its_prompt_and_sample(client: LanguageClient):
    # Rename options (with prepareProvider) only for clients that send prepareRename.
    rename_capability = client.capabilities.text_document.rename
    provider = client.initialize_result.capabilities.rename_provider
    if rename_capability and rename_capability.prepare_support:
        assert provider == types.RenameOptions(prepare_provider=True)
    else:
        assert provider is True
    (client.root / "support.sample.json").write_text('{\n  "topic": "tides",\n  "tone": "dry"\n}\n')
    text = open_file(client, "support.prompt")
    position = at(client, text, "{{@root.tone}}", offset=9)
    prepared = await prepare(client, "support.prompt", position)
    assert prepared.range == span(client, text, "{{@root.tone}}", name="tone") and prepared.placeholder == "tone"
    edit = await rename(client, "support.prompt", position, "mood")
    edits, operations = edits_by_uri(edit)
    assert operations == []
    here = uri(client, "support.prompt")
    sample = (client.root / "support.sample.json").read_text()
    assert edits == {
        here: [(span(client, text, needle, name="tone"), "mood")
               for needle in ["tone?: string", "tone: friendly", "{{tone}}", "{{#if tone}}", "{{@root.tone}}", "{{this.tone}}"]],
        uri(client, "support.sample.json"): [(span(client, sample, '"tone"', name="tone"), "mood")],
    }
    # documentChanges (versioned) when the client supports it, else changes.
    document_changes = client.capabilities.workspace.workspace_edit.document_changes
    assert (edit.document_changes is not None) == bool(document_changes)
    if edit.document_changes:
        assert [change.text_document.version for change in edit.document_changes] == [1, None]
    # Emoji, CJK and CRLF before the uses.
    unicode = open_file(client, "unicode.prompt")
    edits, _ = edits_by_uri(await rename(client, "unicode.prompt", at(client, unicode, "{{city}}", offset=2), "town"))
    assert edits == {uri(client, "unicode.prompt"): [
        (span(client, unicode, needle, name="city"), "town") for needle in ["city: string", "{{city}}", "{{@root.city}}"]]}


@pytest.mark.parametrize("case", ["read-by-partial", "bad-name", "taken", "whole-input", "lookup", "outside-roots"])
async def test_refused_rename_explains_and_edits_nothing(client: LanguageClient, case: str):
    before = snapshot(client.root)
    text = open_file(client, "support.prompt")
    target, new_name, message = at(client, text, "{{tone}}", offset=3), "mood", None
    if case == "read-by-partial":
        target, message = at(client, text, "{{topic}}", offset=3), "also read by partial 'header' (_header.prompt)"
    elif case == "bad-name":
        new_name, message = "two words", "not a valid input name"
    elif case == "taken":
        new_name, message = "topic", "an input named 'topic' already exists"
    elif case in ("whole-input", "lookup"):
        extra = "{{json this}}\n" if case == "whole-input" else "{{lookup @root \"tone\"}}\n"
        text += extra
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(client, "support.prompt"), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        message = "whole input is passed on as 'this'" if case == "whole-input" else "read by name with lookup on line 22"
    elif case == "outside-roots":
        outside = client.root.parent / "outside" / "note.prompt"
        outside.write_text(SUPPORT)
        before = snapshot(client.root)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=outside.as_uri(), language_id="dotprompt", version=1, text=SUPPORT)))
        with pytest.raises(JsonRpcException, match="outside the workspace folders"):
            await client.text_document_rename_async(types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=outside.as_uri()), position=target, new_name="mood"))
        assert snapshot(client.root) == before
        return
    if case in ("read-by-partial", "whole-input", "lookup"):
        with pytest.raises(JsonRpcException, match=re.escape(message)):
            await prepare(client, "support.prompt", target)
    with pytest.raises(JsonRpcException, match=re.escape(message)):
        await rename(client, "support.prompt", target, new_name)
    assert snapshot(client.root) == before


async def test_rename_a_partial_renames_its_file_and_every_inclusion(client: LanguageClient):
    text = open_file(client, "support.prompt")
    position = at(client, text, "{{> header}}", offset=5)
    resource_operations = client.capabilities.workspace.workspace_edit.resource_operations or []
    if "rename" not in resource_operations:
        with pytest.raises(JsonRpcException, match="resourceOperations"):
            await prepare(client, "support.prompt", position)
        return
    prepared = await prepare(client, "support.prompt", position)
    assert prepared.range == span(client, text, "{{> header}}", name="header") and prepared.placeholder == "header"
    edit = await rename(client, "support.prompt", position, "intro")
    edits, operations = edits_by_uri(edit)
    assert edits == {
        uri(client, "blog.prompt"): [(span(client, BLOG, "header"), "intro")],
        uri(client, "support.prompt"): [(span(client, text, "header"), "intro")],
    }
    assert [(type(op).__name__, op.old_uri, op.new_uri) for op in operations] == [
        ("RenameFile", uri(client, "_header.prompt"), uri(client, "_intro.prompt"))]
    # The rename file operation comes after the text edits.
    assert isinstance(edit.document_changes[-1], types.RenameFile)
    root = client.root.as_uri() + "/"
    assert all(key.startswith(root) for key in edits) and operations[0].new_uri.startswith(root)
    # Refused: the name exists, or would move the partial, or the partial lies outside the workspace.
    (client.root / "_footer.prompt").write_text("Bye.\n")
    before = snapshot(client.root)
    with pytest.raises(JsonRpcException, match="_footer.prompt already exists"):
        await rename(client, "support.prompt", position, "footer")
    with pytest.raises(JsonRpcException, match="keeps its folder"):
        await rename(client, "support.prompt", position, "shared/intro")
    leak = SUPPORT.replace("{{> header}}", "{{> ../outside/leak}}")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(client, "support.prompt"), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=leak)]))
    with pytest.raises(JsonRpcException, match="not found inside the workspace"):
        await rename(client, "support.prompt", at(client, leak, "leak"), "leak2")
    assert snapshot(client.root) == before


# Folding and selection --------------------------------------------------------------------------


async def test_folding_ranges(client: LanguageClient):
    text = open_file(client, "support.prompt")
    ranges = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=uri(client, "support.prompt"))))
    line = {needle: at(client, text, needle).line for needle in
            ["---", "{{role \"system\"}}", "{{#if tone}}", "{{/if}}", "{{role \"user\"}}", "<example>", "</example>"]}
    closing = at(client, text, "---", nth=1).line
    assert [(r.start_line, r.end_line, r.kind) for r in ranges] == [
        (line["---"], closing, types.FoldingRangeKind.Region),
        (line["{{role \"system\"}}"], line["{{/if}}"], types.FoldingRangeKind.Region),
        (line["{{#if tone}}"], line["{{/if}}"] - 1, types.FoldingRangeKind.Region),
        (line["{{role \"user\"}}"], line["</example>"], types.FoldingRangeKind.Region),
        (line["<example>"], line["</example>"] - 1, types.FoldingRangeKind.Region),
    ]


async def test_selection_ranges_grow_from_the_name(client: LanguageClient):
    text = open_file(client, "unicode.prompt")
    [selection] = await client.text_document_selection_range_async(types.SelectionRangeParams(
        text_document=types.TextDocumentIdentifier(uri=uri(client, "unicode.prompt")),
        positions=[at(client, text, "{{@root.city}}", offset=9)]))
    chain = []
    while selection is not None:
        chain.append(selection.range)
        selection = selection.parent
    body_line = at(client, text, "🙂").line
    end = at(client, text + "\0", "\0")
    assert chain == [
        span(client, text, "{{@root.city}}", name="city"),
        span(client, text, "{{@root.city}}", name="@root.city"),
        span(client, text, "{{@root.city}}"),
        types.Range(start=types.Position(line=body_line, character=0), end=at(client, text, " and {{@root.city}}\r\n", offset=19)),
        types.Range(start=types.Position(line=body_line, character=0), end=end),
        types.Range(start=types.Position(line=0, character=0), end=end),
    ]


# Workspace diagnostics --------------------------------------------------------------------------


async def test_workspace_diagnostics_cover_unopened_files_inside_the_roots(client: LanguageClient):
    if not (client.capabilities.text_document and client.capabilities.text_document.diagnostic):
        # Offered only to clients that pull diagnostics.
        assert client.initialize_result.capabilities.diagnostic_provider is None
        return
    open_file(client, "support.prompt", version=7)
    report = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    by_uri = {item.uri: item for item in report.items}
    expected = ["_header.prompt", "blog.prompt", "other/_header.prompt", "other/faq.prompt", "support.prompt", "unicode.prompt"]
    assert sorted(by_uri) == sorted(uri(client, name) for name in expected)
    assert by_uri[uri(client, "support.prompt")].version == 7
    assert by_uri[uri(client, "blog.prompt")].version is None
    blog_codes = {item.code for item in by_uri[uri(client, "blog.prompt")].items}
    assert "missing-output-cap" in blog_codes, blog_codes
    assert OUTSIDE_MARKER not in json.dumps([item.message for report in report.items for item in report.items])
    # Pulled again with the result ids: nothing changed, nothing is analysed again.
    previous = [types.PreviousResultId(uri=item.uri, value=item.result_id) for item in report.items]
    again = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=previous))
    assert sorted((item.uri, item.kind) for item in again.items) == sorted((uri(client, name), "unchanged") for name in expected), (previous, again)
    # An edit changes that file's result only.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(client, "support.prompt"), version=8),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=SUPPORT + "Please be brief.\n")]))
    again = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=previous))
    changed = {item.uri: item for item in again.items if item.kind == "full"}
    assert list(changed) == [uri(client, "support.prompt")] and changed[uri(client, "support.prompt")].version == 8
    assert "politeness" in {item.code for item in changed[uri(client, "support.prompt")].items}


# Preview and sample file ------------------------------------------------------------------------


async def preview(client: LanguageClient, name: str) -> dict:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="tokenmin.preview", arguments=[{"uri": uri(client, name)}]))


ENCODING = tiktoken.get_encoding("o200k_base")
GPT_4O_INPUT_USD = Decimal("0.0000025")


def check_message(message: dict, role: str, shown: str, counted: str) -> None:
    tokens = len(ENCODING.encode(counted))
    assert (message["role"], message["text"], message["tokens"]) == (role, shown, tokens)
    assert Decimal(message["usd"]) == tokens * GPT_4O_INPUT_USD


async def test_preview_renders_messages_with_exact_tokens_and_marks_missing_values(client: LanguageClient):
    open_file(client, "support.prompt")
    result = await preview(client, "support.prompt")
    # The line break after the role marker belongs to the message, as Dotprompt renders it.
    system = "\nYou are a writer. Topic: ⟨topic⟩\nWrite about ⟨topic⟩ in a friendly tone.\nTone: friendly / friendly\n"
    user = "\n<example>\n⟨topic⟩\n</example>"
    [first, second] = result["messages"]
    check_message(first, "system", system, system.replace("⟨topic⟩", ""))
    check_message(second, "user", user, user.replace("⟨topic⟩", ""))
    assert first["unresolvedVariables"] == ["topic"] and result["unresolvedVariables"] == ["topic"]
    assert result["exact"] is False and result["valueSources"] == ["input.default"]
    assert result["framingTokens"] == 2 * 3 + 3
    assert result["inputTokens"] == first["tokens"] + second["tokens"] + 9
    assert "⟨topic⟩" in result["text"] and f"── system · ≈{first['tokens']} tok" in result["text"]

    # With a sample file every input has a value: exact, and equal to the inlay hint's total.
    (client.root / "support.sample.json").write_text('{"topic": "tides"}')
    result = await preview(client, "support.prompt")
    system = "\nYou are a writer. Topic: tides\nWrite about tides in a friendly tone.\nTone: friendly / friendly\n"
    check_message(result["messages"][0], "system", system, system)
    assert result["exact"] is True and result["valueSources"] == ["input.default", "support.sample.json"]
    assert result["usdPerCall"] is not None

    # The preview follows unsaved edits.
    edited = SUPPORT.replace("Write about", "Write briefly about")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(client, "support.prompt"), version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)]))
    result = await preview(client, "support.prompt")
    assert result["version"] == 2 and "Write briefly about tides" in result["messages"][0]["text"]


async def test_create_sample_file_action(client: LanguageClient):
    text = open_file(client, "support.prompt")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(client, "support.prompt")),
        range=types.Range(start=at(client, text, "Write"), end=at(client, text, "Write")),
        context=types.CodeActionContext(diagnostics=[])))
    titles = [action.title for action in actions]
    resource_operations = client.capabilities.workspace.workspace_edit.resource_operations or []
    if "create" not in resource_operations:
        assert not any("sample.json" in title for title in titles)
        return
    [create] = [action for action in actions if action.title == "Create support.sample.json from the schema"]
    assert create.kind == "source.createSample.tokenmin"
    [make, insert] = create.edit.document_changes
    sample_uri = uri(client, "support.sample.json")
    assert isinstance(make, types.CreateFile) and make.uri == sample_uri
    assert insert.text_document.uri == sample_uri and insert.text_document.version is None
    [edit] = insert.edits
    assert edit.range == types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    assert json.loads(edit.new_text) == {"topic": "what to write about", "tone": "friendly"}
    assert edit.new_text == '{\n  "topic": "what to write about",\n  "tone": "friendly"\n}\n'
    # Not offered once the file exists.
    (client.root / "support.sample.json").write_text(edit.new_text)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(client, "support.prompt")),
        range=types.Range(start=at(client, text, "Write"), end=at(client, text, "Write")),
        context=types.CodeActionContext(diagnostics=[])))
    assert not any("sample.json" in action.title for action in actions)
