"""A protocol double for the harness's own tests: a tiny LSP server that answers every request the
Lua helpers send, with fixed shapes (a `politeness` diagnostic per "please", a `tok`/`$` inlay hint,
a code action that deletes the word). It proves the harness and plugin work end to end; it computes
nothing about prompts. The real server is tested by the same scenarios with `tokenmin lsp`.
"""

from __future__ import annotations

import json
import re
import sys

documents: dict[str, str] = {}
state: dict[str, object] = {"initializationOptions": None, "configuration": None}
next_id = 1000


def send(message: dict) -> None:
    body = json.dumps(message).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


def read() -> dict | None:
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return json.loads(sys.stdin.buffer.read(length))


def politeness(uri: str) -> list[dict]:
    found = []
    for row, line in enumerate(documents[uri].split("\n")):
        for match in re.finditer(r"(?i)please ", line):
            found.append({
                "range": {"start": {"line": row, "character": match.start()}, "end": {"line": row, "character": match.end()}},
                "severity": 2, "code": "politeness", "source": "tokenmin",
                "message": "Politeness costs tokens (fake server)",
            })
    return found


def publish(uri: str) -> None:
    send({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
          "params": {"uri": uri, "diagnostics": politeness(uri)}})


def answer(method: str, params: dict):
    if method == "initialize":
        state["initializationOptions"] = params.get("initializationOptions")
        return {"capabilities": {
            "positionEncoding": "utf-16", "textDocumentSync": 1, "hoverProvider": True,
            "completionProvider": {}, "inlayHintProvider": True, "codeActionProvider": True,
            "documentSymbolProvider": True, "executeCommandProvider": {"commands": ["tokenmin.tokenView"]},
        }, "serverInfo": {"name": "fake-tokenmin"}}
    uri = params.get("textDocument", {}).get("uri")
    if method == "textDocument/inlayHint":
        return [{"position": {"line": 0, "character": len(documents[uri].split("\n")[0])},
                 "label": " 3 tok · $0.000010", "paddingLeft": True}]
    if method == "textDocument/hover":
        position = params["position"]
        return {"contents": {"kind": "markdown", "value": f"fake hover at {position['line']}:{position['character']}"}}
    if method == "textDocument/completion":
        return {"isIncomplete": False, "items": [{"label": "model"}, {"label": "config"}]}
    if method == "textDocument/documentSymbol":
        return [{"name": "frontmatter", "kind": 2, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
                 "selectionRange": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}}}]
    if method == "textDocument/codeAction":
        actions = []
        for diagnostic in params["context"]["diagnostics"]:
            if diagnostic.get("code") == "politeness":
                actions.append({"title": "Remove politeness", "kind": "quickfix", "diagnostics": [diagnostic],
                                "edit": {"changes": {uri: [{"range": diagnostic["range"], "newText": ""}]}}})
        return actions
    if method == "workspace/executeCommand" and params.get("command") == "tokenmin.tokenView":
        target = params["arguments"][0]["uri"]
        first = documents[target].split("\n")[0]
        tokens = [{"range": {"start": {"line": 0, "character": i}, "end": {"line": 0, "character": min(i + 2, len(first))}},
                   "text": first[i:i + 2]} for i in range(0, len(first), 2)]
        return {"uri": target, "encoding": "fake", "tokenCount": len(tokens), "tokens": tokens}
    if method == "tokenmin/documentText":
        return {"text": documents[params["uri"]]}
    if method == "fake/state":
        return state
    if method == "shutdown":
        return None
    raise KeyError(method)


def main() -> None:
    global next_id
    while (message := read()) is not None:
        method, params = message.get("method"), message.get("params") or {}
        if "id" in message and method is None:
            if message["id"] == 1:  # our workspace/configuration request
                state["configuration"] = message.get("result")
            continue
        if method == "exit":
            return
        if method == "initialized":
            send({"jsonrpc": "2.0", "id": 1, "method": "workspace/configuration",
                  "params": {"items": [{"section": "tokenmin"}]}})
        elif method == "textDocument/didOpen":
            documents[params["textDocument"]["uri"]] = params["textDocument"]["text"]
            publish(params["textDocument"]["uri"])
        elif method == "textDocument/didChange":
            documents[params["textDocument"]["uri"]] = params["contentChanges"][-1]["text"]
            publish(params["textDocument"]["uri"])
        if "id" in message:
            try:
                send({"jsonrpc": "2.0", "id": message["id"], "result": answer(method, params)})
            except KeyError:
                send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": f"unknown {method}"}})


if __name__ == "__main__":
    main()
