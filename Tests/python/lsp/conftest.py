"""pytest-lsp fixtures: a client connected to the real `tokenmin lsp` binary.

`Tests/all.sh` sets TOKENMIN_BIN. Every test runs once per recorded real-client capability set
(VS Code, Neovim 0.11, Emacs), so the server is checked against what those editors declare.
pytest-lsp validates each response against lsprotocol's types and the client's capabilities; its
spec warnings are turned into errors in the test module.
"""

import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities


def tokenmin_binary() -> str:
    path = os.environ.get("TOKENMIN_BIN", "")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(
            f"TOKENMIN_BIN={path!r} is not an executable tokenmin binary; "
            "run the suite through Tests/all.sh (or export TOKENMIN_BIN=.build/debug/tokenmin)"
        )
    return path


CLIENTS = ["visual-studio-code", "neovim@v0.11.0", "emacs"]
WORKSPACE = pathlib.Path(__file__).resolve().parent


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[os.environ.get("TOKENMIN_BIN", "tokenmin"), "lsp", "--log-level", "info"]),
    params=CLIENTS,
)
async def client(lsp_client: LanguageClient, request):
    tokenmin_binary()
    # The server-read settings of editors/settings.json.
    lsp_client.set_configuration({"inlayHints": {"detail": "full"}, "volume": 1000}, section="tokenmin")
    registrations = []
    refreshes = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        registrations.extend(params.registrations)

    # Clients that advertise refresh support must answer it (pytest-lsp answers diagnostic refreshes itself).
    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params):
        refreshes.append("inlayHint")

    lsp_client.tokenmin_refreshes = refreshes

    lsp_client.tokenmin_registrations = registrations
    lsp_client.tokenmin_initialize_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=WORKSPACE.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=WORKSPACE.as_uri(), name="lsp")],
        )
    )
    yield
    await lsp_client.shutdown_session()
    # shutdown + exit must end the process with status 0.
    assert lsp_client._server is not None and lsp_client._server.returncode == 0
