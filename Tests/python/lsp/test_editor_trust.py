"""Editor trust (issue 25) through pytest-lsp, for each recorded client (VS Code, Neovim 0.11, Emacs):
quick fixes keep the frontmatter valid, partials resolve without a workspace root, documents that use
a partial refresh when it changes, a quick switch between documents loses no diagnostics, and code
actions are offered anywhere on a flagged line."""

import asyncio
import os
import pathlib
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import CLIENTS

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"),
]

# A folder with no root marker, outside the test tree: story.prompt and the partial beside it.
FOLDER = pathlib.Path(tempfile.mkdtemp(prefix="tokenmin-rootless-")).resolve()
STORY = FOLDER / "story.prompt"
STYLE = FOLDER / "_style.prompt"
STORY_TEXT = "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 100\n---\nWrite a story.\n{{> style}}\n"
STYLE_TEXT = "Use short sentences.\n"
STORY.write_text(STORY_TEXT, encoding="utf-8")
STYLE.write_text(STYLE_TEXT, encoding="utf-8")
OTHER = FOLDER / "other.prompt"
OTHER.write_text("Summarize the text.\n", encoding="utf-8")


def start(client: LanguageClient, request, *, rooted: bool):
    refreshes = []

    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params):
        refreshes.append("inlayHint")

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params):
        return None

    client.tokenmin_refreshes = refreshes
    client.set_configuration({"inlayHints": {"detail": "full"}}, section="tokenmin")
    return client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=FOLDER.as_uri() if rooted else None,
            workspace_folders=[types.WorkspaceFolder(uri=FOLDER.as_uri(), name="f")] if rooted else None,
        )
    )


SERVER = ClientServerConfig(server_command=[os.environ.get("TOKENMIN_BIN", "tokenmin"), "lsp", "--log-level", "info"])


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def rootless(lsp_client: LanguageClient, request):
    lsp_client.tokenmin_initialize_result = await start(lsp_client, request, rooted=False)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER, params=CLIENTS)
async def rooted(lsp_client: LanguageClient, request):
    lsp_client.tokenmin_initialize_result = await start(lsp_client, request, rooted=True)
    yield
    await lsp_client.shutdown_session()


def open_file(client: LanguageClient, path: pathlib.Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="dotprompt", version=version, text=text if text is not None else path.read_text(encoding="utf-8"))))
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def current_diagnostics(client: LanguageClient, uri: str, until, timeout: float = 5.0):
    """The document's diagnostics (pulled when the server offers pull, else the latest pushed) once
    `until(items)` holds; fails after `timeout` seconds with the last list seen."""
    items = None
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if client.tokenmin_initialize_result.capabilities.diagnostic_provider:
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
            items = report.items
        else:
            items = client.diagnostics.get(uri)
        if items is not None and until(items):
            return items
        await asyncio.sleep(0.02)
    pytest.fail(f"diagnostics of {uri} never satisfied the condition; last: {items}")


async def hint_labels(client: LanguageClient, uri: str, text: str) -> list[str]:
    lines = text.split("\n")
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=len(lines), character=0))))
    return [hint.label for hint in hints or []]


async def test_partials_resolve_beside_the_file_without_a_workspace_root(rootless: LanguageClient):
    uri = open_file(rootless, STORY)
    items = await current_diagnostics(rootless, uri, lambda items: True)
    assert not [item for item in items if item.code == "missing-partial"], items
    labels = await hint_labels(rootless, uri, STORY_TEXT)
    assert "+4 tok" in labels, labels  # "Use short sentences.\n" is 4 o200k tokens
    # The document's folder is the root: nothing above it is read.
    escape = open_file(rootless, FOLDER / "escape.prompt", "---\nmodel: openai/gpt-4o\n---\n{{> ../secret}}\n")
    items = await current_diagnostics(rootless, escape, lambda items: any(item.code == "missing-partial" for item in items))
    assert any("outside" in item.message or "leaves" in item.message for item in items if item.code == "missing-partial"), items


async def test_editing_an_open_partial_refreshes_the_documents_that_use_it(rooted: LanguageClient):
    story = open_file(rooted, STORY)
    style = open_file(rooted, STYLE)
    # A second dependent with a budget of 20 input tokens: 14 with the short partial, 26 with the long one.
    budget_text = STORY_TEXT.replace("config:", "metadata: {tokenmin: {budget: {inputTokens: 20}}}\nconfig:")
    budget = open_file(rooted, FOLDER / "budget.prompt", budget_text)
    assert "+4 tok" in await hint_labels(rooted, story, STORY_TEXT)
    await current_diagnostics(rooted, story, lambda items: True)
    if not rooted.tokenmin_initialize_result.capabilities.diagnostic_provider:
        await current_diagnostics(rooted, budget, lambda items: not any(item.code == "budget-exceeded" for item in items))
    longer = "Use short sentences. Prefer concrete nouns, active verbs and one idea per line.\n"
    replace_all(rooted, style, longer, version=2)
    # The dependent's hints change without any edit to it, and clients that support it are asked to
    # re-request inlay hints.
    deadline = asyncio.get_running_loop().time() + 5
    while "+4 tok" in await hint_labels(rooted, story, STORY_TEXT):
        assert asyncio.get_running_loop().time() < deadline, "story.prompt still shows the old partial"
        await asyncio.sleep(0.02)
    assert "+16 tok" in await hint_labels(rooted, story, STORY_TEXT)  # 16 o200k tokens (tiktoken)
    caps = rooted.tokenmin_initialize_result
    if rooted.capabilities.workspace and rooted.capabilities.workspace.inlay_hint and rooted.capabilities.workspace.inlay_hint.refresh_support:
        deadline = asyncio.get_running_loop().time() + 5
        while "inlayHint" not in rooted.tokenmin_refreshes:
            assert asyncio.get_running_loop().time() < deadline, "no workspace/inlayHint/refresh after the partial changed"
            await asyncio.sleep(0.02)
    # Fresh diagnostics for the dependent that never changed itself: now over its budget.
    if not caps.capabilities.diagnostic_provider:
        await current_diagnostics(rooted, budget, lambda items: any(item.code == "budget-exceeded" for item in items))


async def test_saving_a_partial_refreshes_dependents(rooted: LanguageClient):
    story = open_file(rooted, STORY)
    assert "+4 tok" in await hint_labels(rooted, story, STORY_TEXT)
    STYLE.write_text("Use short, plain sentences and concrete nouns.\n", encoding="utf-8")
    try:
        rooted.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=STYLE.as_uri())))
        deadline = asyncio.get_running_loop().time() + 5
        while "+4 tok" in await hint_labels(rooted, story, STORY_TEXT):
            assert asyncio.get_running_loop().time() < deadline, "story.prompt still shows the partial as it was before the save"
            await asyncio.sleep(0.02)
        assert "+9 tok" in await hint_labels(rooted, story, STORY_TEXT)  # 9 o200k tokens (tiktoken)
    finally:
        STYLE.write_text(STYLE_TEXT, encoding="utf-8")


async def test_a_quick_switch_to_another_document_loses_no_diagnostics(rooted: LanguageClient):
    if rooted.tokenmin_initialize_result.capabilities.diagnostic_provider:
        pytest.skip("diagnostics are pulled by this client")
    story = open_file(rooted, STORY)
    await current_diagnostics(rooted, story, lambda items: True)
    edited = STORY_TEXT + "Please be brief.\n"
    for round in range(2):
        replace_all(rooted, story, edited if round == 0 else STORY_TEXT + "Thank you!\n", version=2 + round)
        # Another document opens within the 50 ms the edit's push waits.
        open_file(rooted, OTHER if round == 0 else FOLDER / f"other{round}.prompt", "Summarize the text.\n")
        await current_diagnostics(rooted, story, lambda items: any(item.code == "politeness" for item in items))
    assert rooted.diagnostics[OTHER.as_uri()] is not None


async def test_code_actions_anywhere_on_a_flagged_line_and_config_fix_keeps_yaml(rooted: LanguageClient):
    text = "---\nmodel: openai/gpt-4o\n---\nSummarize the text. Thank you!\n"
    uri = open_file(rooted, FOLDER / "mini.prompt", text)
    await current_diagnostics(rooted, uri, lambda items: any(item.code == "missing-output-cap" for item in items))
    # The cursor at column 0 of the line, far from "Thank you".
    actions = await rooted.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=3, character=0), end=types.Position(line=3, character=0)),
        context=types.CodeActionContext(diagnostics=[])))
    titles = [action.title for action in actions]
    assert "Remove “Thank you!”" in titles or any(title.startswith("Remove") for title in titles), titles
    # The output-cap fix, offered on the model line, leaves valid YAML (issue 25: it used to glue
    # `config:` to the end of the model line).
    actions = await rooted.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=1, character=3), end=types.Position(line=1, character=3)),
        context=types.CodeActionContext(diagnostics=[])))
    fix = next(action for action in actions if action.title.startswith("Add config.maxOutputTokens"))
    edits = fix.edit.document_changes[0].edits if fix.edit.document_changes else fix.edit.changes[uri]
    assert len(edits) == 1
    lines = text.split("\n")
    edit = edits[0]
    start = sum(len(line) + 1 for line in lines[:edit.range.start.line]) + edit.range.start.character
    end = sum(len(line) + 1 for line in lines[:edit.range.end.line]) + edit.range.end.character
    fixed = text[:start] + edit.new_text + text[end:]
    assert fixed == "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 500\n---\nSummarize the text. Thank you!\n", fixed


async def hints(client: LanguageClient, uri: str, text: str) -> list[types.InlayHint]:
    lines = text.split("\n")
    return await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=len(lines), character=0)))) or []


async def test_hint_placement_and_wording(rooted: LanguageClient):
    # Without role markers the message hint follows the first line of text instead of pushing it right.
    text = "---\nmodel: openai/gpt-4o\nconfig: {maxOutputTokens: 50}\n---\n\nSummarize the text.\nBe brief.\n"
    uri = open_file(rooted, FOLDER / "plain.prompt", text)
    message = [hint for hint in await hints(rooted, uri, text) if hint.position.line == 5]
    assert len(message) == 1 and message[0].position.character == len("Summarize the text.") and message[0].padding_left, message

    # A partial is not a call: no output and no USD per call.
    partial = open_file(rooted, FOLDER / "_tone.prompt", "Be warm and direct.\n")
    labels = [hint.label for hint in await hints(rooted, partial, "Be warm and direct.\n")]
    assert labels and not any(" out" in label or "/call" in label for label in labels), labels
    assert any("as a partial" in label for label in labels), labels

    # A loop over a list without a sample: the item's content is unknown, not ≈250 tokens.
    loop_text = ("---\nmodel: openai/gpt-4o\nconfig: {maxOutputTokens: 50}\ninput:\n  schema:\n    docs(array): string\n---\n"
                 "Answer from these notes:\n{{#each docs}}\n- {{this}}\n{{/each}}\n")
    loop = open_file(rooted, FOLDER / "loop.prompt", loop_text)
    labels = [hint.label for hint in await hints(rooted, loop, loop_text)]
    assert any(label.endswith("tok + ? per item") for label in labels), labels
    assert not any("×3→" in label for label in labels), labels

    # An estimated count makes every USD figure an estimate too.
    estimate_text = "---\nmodel: anthropic/claude-sonnet-4-5\nconfig: {maxOutputTokens: 50}\n---\n{{role \"system\"}}\nBe brief.\n{{role \"user\"}}\nHello there.\n"
    estimate = open_file(rooted, FOLDER / "estimate.prompt", estimate_text)
    labels = [hint.label for hint in await hints(rooted, estimate, estimate_text)]
    assert labels and all("$" not in label or ("≈$" in label and "$" not in label.replace("≈$", "")) for label in labels), labels

    # The token view says what it counts and carries the call's input tokens, equal to the hint's.
    view = await rooted.workspace_execute_command_async(types.ExecuteCommandParams(command="tokenmin.tokenView", arguments=[{"uri": uri}]))
    total = next(hint.label for hint in await hints(rooted, uri, text) if hint.position.line == 1)
    assert total.startswith(f"{view['inputTokens']} tok in"), (total, view["inputTokens"])
    assert "as written" in view["counts"] and "rendered messages" in view["inputCounts"]


async def test_hovers_are_short_tables_with_headers(rooted: LanguageClient):
    roles = "".join(f"{{{{role \"{'user' if i % 2 else 'model'}\"}}}}\nTurn {i} of the example.\n" for i in range(12))
    text = "---\nmodel: openai/gpt-4o\nconfig: {maxOutputTokens: 50}\n---\n{{role \"system\"}}\nBe brief.\n" + roles
    uri = open_file(rooted, FOLDER / "long.prompt", text)
    for line, character in [(1, 9), (4, 3)]:  # the model value, the first role marker
        hover = await rooted.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character)))
        value = hover.contents.value
        assert "| | |" not in value and "|  |" not in value, value
        assert len(value.split("\n")) <= 15, value
        header = next(row for row in value.split("\n") if row.startswith("|"))
        assert all(cell.strip() for cell in header.strip("|").split("|")), header
    assert "$2.50/MTok" in (await rooted.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=9)))).contents.value


async def test_a_changed_sample_or_configuration_file_refreshes_open_prompts(rooted: LanguageClient):
    text = "---\nmodel: openai/gpt-4o\ninput:\n  schema:\n    topic: string\n---\nWrite about {{topic}}.\n"
    path = FOLDER / "sampled.prompt"
    path.write_text(text, encoding="utf-8")
    sample = FOLDER / "sampled.sample.json"
    config = FOLDER / ".tokenmin.yaml"
    uri = open_file(rooted, path)
    try:
        assert any("+ ?" in label for label in await hint_labels(rooted, uri, text))
        items = await current_diagnostics(rooted, uri, lambda items: True)
        assert any(item.code == "missing-output-cap" for item in items), items
        # A sample input appears on disk (a watched file): the prompt is counted exactly.
        sample.write_text('{"topic": "the history of tea"}', encoding="utf-8")
        rooted.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=sample.as_uri(), type=types.FileChangeType.Created)]))
        deadline = asyncio.get_running_loop().time() + 5
        while any("+ ?" in label for label in await hint_labels(rooted, uri, text)):
            assert asyncio.get_running_loop().time() < deadline, "the sample input did not reach the open prompt"
            await asyncio.sleep(0.02)
        # A `.tokenmin.yaml` turning a rule off: fresh diagnostics without any edit to the prompt.
        config.write_text("rules:\n  missing-output-cap: off\n", encoding="utf-8")
        rooted.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]))
        await current_diagnostics(rooted, uri, lambda items: not any(item.code == "missing-output-cap" for item in items))
    finally:
        sample.unlink(missing_ok=True)
        config.unlink(missing_ok=True)
