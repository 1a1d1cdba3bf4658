"""`tokenmin report --format html` end to end: a fixture git repository with several prompts and a few
commits is rendered; the page's numbers are checked against `count --format json` and
`report --history --format json`; then the page is opened in real headless Chromium (Debian's
`chromium`, driven over the DevTools protocol on a pipe): it is drawn (screenshot regions not blank),
sorting works (the DOM after a scripted click), it reads without scripts, it fits a phone width, and it
makes no network request (every request Chromium reports is the page itself; outside access is
disabled). A 2,000-prompt workspace stays under 2 MB.

With TOKENMIN_UPDATE_GOLDENS=1 the README's screenshot (Tests/Fixtures/report/report.png) is rewritten."""

import base64
import fcntl
import html.parser
import io
import json
import os
import pathlib
import select
import shutil
import subprocess
import tempfile
import time
from decimal import Decimal

import pytest
from PIL import Image

BIN = os.environ.get("TOKENMIN_BIN", "tokenmin")
REPO = pathlib.Path(__file__).resolve().parents[3]
SCREENSHOT = REPO / "Tests" / "Fixtures" / "report" / "report.png"

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Fixture",
    "GIT_AUTHOR_EMAIL": "fixture@example.com", "GIT_COMMITTER_NAME": "Fixture",
    "GIT_COMMITTER_EMAIL": "fixture@example.com",
}


def run(*args, cwd, check=True):
    result = subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def git(*args, cwd, date="2025-01-06"):
    env = dict(os.environ, **GIT_ENV, GIT_AUTHOR_DATE=f"{date}T12:00:00Z", GIT_COMMITTER_DATE=f"{date}T12:00:00Z")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


HEADER = "---\nmodel: {model}\nconfig:\n  maxOutputTokens: {cap}\n{extra}---\n"

# The fixture's prompts, version by version (None: unchanged in that commit).
PROMPTS = {
    "prompts/support/triage.prompt": [
        HEADER.format(model="openai/gpt-4o", cap=60, extra="metadata:\n  tokenmin:\n    volume: 3M/month\n")
        + "{{role \"system\"}}\nClassify the ticket as billing, bug, feature-request or account.\n{{role \"user\"}}\n<ticket>{{ticket}}</ticket>\n",
        HEADER.format(model="openai/gpt-4o", cap=60, extra="metadata:\n  tokenmin:\n    volume: 3M/month\n")
        + "{{role \"system\"}}\nYou are a helpful assistant. Take a deep breath.\nClassify the ticket as billing, bug, "
        "feature-request or account. Please classify the ticket carefully. Think step by step.\nTODO: add the new queues.\n"
        "{{role \"user\"}}\n<ticket>{{ticket}}</ticket>\n",
        None,
    ],
    "prompts/support/reply.prompt": [
        HEADER.format(model="anthropic/claude-sonnet-4-5", cap=400, extra="")
        + "Draft a reply to the customer. Cite the help-center article that applies.\n\n<ticket>{{ticket}}</ticket>\n",
        None,
        HEADER.format(model="anthropic/claude-sonnet-4-5", cap=400, extra="")
        + "Draft a short reply to the customer in their language. Cite the help-center article that applies, "
        "offer the next step, and never promise refunds or dates.\n\n<ticket>{{ticket}}</ticket>\n",
    ],
    "prompts/search/rewrite-query.prompt": [
        HEADER.format(model="openai/gpt-4o-mini", cap=40, extra="")
        + "Rewrite the search query for a product catalog search engine.\n\n<query>{{query}}</query>\n",
        None,
        None,
    ],
    "prompts/docs/release-notes.prompt": [
        HEADER.format(model="googleai/gemini-2.5-flash", cap=800, extra="")
        + "Summarise the merged pull requests below as release notes for users.\n\n{{changes}}\n",
        HEADER.format(model="googleai/gemini-2.5-flash", cap=800, extra="")
        + "Summarise the merged pull requests below as release notes for users. Group them by area, lead with "
        "user-visible changes, and credit contributors by name.\n\n{{changes}}\n",
        HEADER.format(model="googleai/gemini-2.5-flash", cap=800, extra="")
        + "Summarise the merged pull requests as release notes: group by area, user-visible changes first.\n\n{{changes}}\n",
    ],
    "prompts/agents/<odd> & \"name\".prompt": [
        HEADER.format(model="openai/gpt-4.1", cap=1000, extra="")
        + "Plan the steps to answer the question with the tools you have. Thank you!\n\n{{question}}\n",
        None,
        None,
    ],
    "prompts/legacy/summary.prompt": [
        "---\nmodel: openai/gpt-4\n---\nSummarize the document below in exhaustive detail.\n\n{{document}}\n",
        None,
        None,
    ],
}
DATES = ["2025-01-06", "2025-01-20", "2025-02-03"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("report-html")
    git("-c", "init.defaultBranch=main", "init", "-q", cwd=root)
    (root / ".tokenmin.yml").write_text("volume: 200k/month\n")
    for index, date in enumerate(DATES):
        for path, versions in PROMPTS.items():
            if versions[index] is not None:
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_text(versions[index])
        git("add", "-A", cwd=root)
        git("-c", "commit.gpgsign=false", "commit", "-q", "-m", f"Prompts, step {index + 1}", cwd=root, date=date)
    return root


class PageParser(html.parser.HTMLParser):
    """Collects what the tests read from the page: table rows (cells' data-v and text), sparklines,
    summary values, and every URL-bearing attribute."""

    def __init__(self):
        super().__init__()
        self.rows = []  # each: list of (data-v, text)
        self.sparks = []
        self.summary = []
        self.urls = []
        self.headers = []
        self._in_table = False
        self._in_head = False
        self._row = None
        self._cell = None
        self._depth = 0
        self._summary_big = False
        self._tables = 0
        self._prompt_table_level = -1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            if name in attrs and tag != "object":
                self.urls.append(attrs[name])
        if tag == "table":
            self._tables += 1
            if attrs.get("id") == "prompt-table":
                self._in_table = True
                self._prompt_table_level = self._tables
        if self._in_table and tag == "thead":
            self._in_head = True
        if self._in_table and self._in_head and tag == "th":
            self.headers.append(attrs)
        nested = self._tables != self._prompt_table_level
        if self._in_table and not nested and not self._in_head and tag == "tr" and self._row is None and "class" not in attrs:
            self._row = []
        if self._row is not None and tag in ("td", "th") and self._cell is None:
            self._cell = [attrs.get("data-v"), ""]
            self._cell_tag = tag
            self._depth = 0
        elif self._cell is not None and tag in ("td", "th"):
            self._depth += 1
        if tag == "svg" and "data-tokens" in attrs:
            self.sparks.append(attrs)
        if tag == "span" and "big" in attrs.get("class", ""):
            self._summary_big = True
            self.summary.append("")

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        if tag == "table":
            if self._tables == self._prompt_table_level:
                self._in_table = False
                self._prompt_table_level = -1
            self._tables -= 1
        if self._cell is not None and tag in ("td", "th"):
            if self._depth == 0:
                value, text = self._cell
                # Text columns carry no data-v: their value is their text.
                self._row.append((value if value is not None else text.strip(), text))
                self._cell = None
            else:
                self._depth -= 1
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        if tag == "span" and self._summary_big:
            self._summary_big = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data
        if self._summary_big:
            self.summary[-1] += data


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def page(workspace) -> str:
    result = run("report", "--format", "html", "--history", "prompts", cwd=workspace)
    return result.stdout


def test_every_prompt_and_the_totals_match_count(workspace, page):
    counted = json.loads(run("count", "--format", "json", "prompts", cwd=workspace).stdout)
    parsed = parse(page)
    paths = [row[0][0] for row in parsed.rows]
    assert sorted(paths) == sorted(entry["path"] for entry in counted)
    assert len(paths) == len(PROMPTS)
    by_path = {row[0][0]: row for row in parsed.rows}
    for entry in counted:
        row = by_path[entry["path"]]
        assert int(row[2][0]) == entry["inputTokens"]
        assert int(row[3][0]) == entry["outputTokens"]
        assert Decimal(row[4][0]) == Decimal(entry["usdPerCall"])
        assert Decimal(row[5][0]) == Decimal(entry["callsPerMonth"])
        assert Decimal(row[6][0]) == Decimal(entry["usdPerMonth"])
    # The summary's totals, formatted as the CLI formats them (`count --format markdown`'s total row).
    markdown = run("count", "--format", "markdown", "prompts", cwd=workspace).stdout
    total_row = [line for line in markdown.splitlines() if line.startswith("| **total**")][0]
    per_call, per_month = [cell.strip().strip("*") for cell in total_row.split("|")[5:7]]
    assert parsed.summary[0] == str(len(PROMPTS))
    # Both mark a total that includes an estimate with ≈ (the CLI's one convention).
    assert parsed.summary[1] == per_call
    assert parsed.summary[2] == per_month
    total_month = sum(Decimal(entry["usdPerMonth"]) for entry in counted)
    assert total_month > 0
    # A path with markup characters is escaped, never interpreted.
    assert "prompts/agents/&lt;odd&gt; &amp; &quot;name&quot;.prompt" in page
    assert "<odd>" not in page


def test_sparklines_equal_the_history_json(workspace, page):
    history = json.loads(run("report", "--history", "--format", "json", "prompts", cwd=workspace).stdout)
    parsed = parse(page)
    assert len(parsed.sparks) == len(history["prompts"]) == len(PROMPTS)
    sparks = [(spark["data-tokens"], spark["data-commits"]) for spark in parsed.sparks]
    for prompt in history["prompts"]:
        tokens = " ".join(str(point["inputTokens"]) for point in prompt["points"])
        commits = " ".join(point["commit"][:7] for point in prompt["points"])
        assert (tokens, commits) in sparks, prompt["path"]
    # Each point's commit is in a tooltip; the largest single-commit growth is highlighted.
    for prompt in history["prompts"]:
        for point in prompt["points"]:
            assert f"<title>{point['commit'][:7]} · {point['date']}" in page
    assert page.count('<line class="jump"') >= 1
    assert "largest growth" in page


def test_volume_file_and_metadata_volumes(workspace, tmp_path):
    volumes = workspace / "volumes.txt"
    volumes.write_text("# calls per month\n**/*.prompt 10k/month\nprompts/support/** 1M/month\n")
    parsed = parse(run("report", "--format", "html", "--volume-file", "volumes.txt", "prompts", cwd=workspace).stdout)
    calls = {row[0][0]: Decimal(row[5][0]) for row in parsed.rows}
    assert calls["prompts/support/triage.prompt"] == 3_000_000  # metadata.tokenmin.volume wins
    assert calls["prompts/support/reply.prompt"] == 1_000_000  # the last matching line
    assert calls["prompts/search/rewrite-query.prompt"] == 10_000
    volumes.write_text("prompts/** 1M/month\nprompts/support/**\nprompts/x/** lots\n")
    bad = run("report", "--format", "html", "--volume-file", "volumes.txt", "prompts", cwd=workspace, check=False)
    assert bad.returncode == 2 and bad.stdout == ""
    assert "volumes.txt:2: expected a glob and a volume" in bad.stderr
    assert "volumes.txt:3: 'lots' is not a volume" in bad.stderr
    missing = run("report", "--format", "html", "--volume-file", "nowhere.txt", "prompts", cwd=workspace, check=False)
    assert missing.returncode == 2 and "nowhere.txt: cannot read the volume file" in missing.stderr
    volumes.unlink()


def test_two_thousand_prompts_stay_under_two_megabytes(tmp_path):
    rng_words = ["ticket", "answer", "customer", "policy", "refund", "escalate", "summary", "language", "cite"]
    for index in range(2000):
        folder = tmp_path / f"team{index % 20}"
        folder.mkdir(exist_ok=True)
        words = " ".join(rng_words[(index + k) % len(rng_words)] for k in range(40 + index % 30))
        text = (
            f"---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: {100 + index % 300}\n---\n"
            f"You are a helpful assistant. Please {words}.\nTODO: review this prompt.\n\n{{{{question}}}}\n"
        )
        (folder / f"prompt-{index:04d}.prompt").write_text(text)
    result = run("report", "--format", "html", "--volume", "50k/month", ".", cwd=tmp_path)
    size = len(result.stdout.encode())
    assert size < 2 * 1024 * 1024, size
    assert len(parse(result.stdout).rows) == 2000
    # The chart names the 20 most expensive prompts, then one bar for the other 1,980.
    chart = result.stdout.split('<ol class="bars">', 1)[1].split("</ol>", 1)[0]
    assert chart.count("<li") == 21
    assert "others (1980 prompts)" in chart
    # Details list at most 2 findings per prompt on a page this large; the rest are counted.
    assert "A prompt's details list up to 2 findings; <code>tokenmin check</code> lists all." in result.stdout
    assert result.stdout.count("<li class=muted>and 1 more</li>") == 2000


# ---------------------------------------------------------------------------------------------------
# Headless Chromium over the DevTools protocol (--remote-debugging-pipe: JSON messages separated by
# NUL on file descriptors 3 and 4; no port, no websocket library).


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium is not installed (Tests/python/setup-venv.sh installs Debian's chromium package)")


class Browser:
    def __init__(self, profile: str):
        to_child = os.pipe()
        from_child = os.pipe()

        def descriptors():
            # Move both ends above the standard range first, then onto 3 and 4 (the pipe's fixed fds).
            read_end = fcntl.fcntl(to_child[0], fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_child[1], fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        arguments = [
            chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--remote-debugging-pipe", f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
            "--hide-scrollbars", "--mute-audio", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--disable-domain-reliability", "--metrics-recording-only",
            # No network: every host resolves nowhere and every proxied request goes to a closed port.
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>", "about:blank",
        ]
        self.process = subprocess.Popen(
            arguments, preexec_fn=descriptors, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child[0])
        os.close(from_child[1])
        self.writer = os.fdopen(to_child[1], "wb", buffering=0)
        self.reader = os.fdopen(from_child[0], "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    # Every exchange with Chromium has a deadline: a hung browser fails the test instead of blocking it.
    TIMEOUT_SECONDS = 90

    def _receive(self):
        deadline = time.monotonic() + self.TIMEOUT_SECONDS
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.reader], [], [], max(0.0, remaining))
            if not ready:
                raise TimeoutError(f"no message from chromium within {self.TIMEOUT_SECONDS} s")
            chunk = os.read(self.reader.fileno(), 65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.writer.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method):
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[index]  # the other events stay for the test to read
                return event
        deadline = time.monotonic() + self.TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            event = self._receive()
            if event.get("method") == method:
                return event
            self.events.append(event)
        raise TimeoutError(f"no {method} within {self.TIMEOUT_SECONDS} s")

    def open(self, url, width, height, mobile=False, scripts=True):
        if self.session is None:
            target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
            self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)[
                "sessionId"]
            self.send("Page.enable")
            self.send("Network.enable")
            self.send("Runtime.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.send("Emulation.setScriptExecutionDisabled", {"value": not scripts})
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def screenshot(self, full_page=False):
        params = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        return Image.open(io.BytesIO(base64.b64decode(self.send("Page.captureScreenshot", params)["data"]))).convert("RGB")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, OSError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="tokenmin-chromium-")
    instance = Browser(profile)
    yield instance
    instance.close()
    shutil.rmtree(profile, ignore_errors=True)


def inked_share(image, box):
    """The share of pixels in `box` (left, top, right, bottom) that differ clearly from white."""
    region = image.crop(tuple(int(value) for value in box)).convert("L")
    histogram = region.histogram()
    total = sum(histogram)
    return sum(histogram[:235]) / total if total else 0.0


def box_of(browser, selector):
    return browser.evaluate(
        f"(function(){{var r=document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom];})()")


@pytest.fixture(scope="module")
def page_url(workspace, page, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-page")
    path = folder / "report.html"
    path.write_text(page)
    return path.as_uri()


def test_chromium_draws_the_page_and_makes_no_request(browser, page_url):
    browser.open(page_url, 1280, 800)
    image = browser.screenshot()
    assert image.size == (1280, 800)
    assert inked_share(image, (0, 0, 1280, 800)) > 0.03  # not blank
    # The summary, the bar chart and the table are each drawn where the layout put them.
    for selector in ("#summary", ".bars", "#prompt-table thead", "#prompt-table tbody"):
        left, top, right, bottom = box_of(browser, selector)
        assert right - left > 200 and bottom - top > 15, (selector, left, top, right, bottom)
        if top < 800:
            assert inked_share(image, (left, top, right, min(bottom, 800))) > 0.02, selector
    chart_bar = box_of(browser, ".bars li:first-child rect")
    assert chart_bar[2] - chart_bar[0] > 100  # the largest bar is drawn wide
    bar_pixels = image.crop(tuple(int(v) for v in (chart_bar[0] + 2, chart_bar[1] + 2, chart_bar[2] - 2, chart_bar[3] - 2)))
    red, green, blue = bar_pixels.resize((1, 1)).getpixel((0, 0))
    assert blue > 150 and red < 80, (red, green, blue)  # the accent blue
    # Readable at 1280×800: nothing wider than the window, and the table needs no sideways scrolling.
    assert browser.evaluate("document.documentElement.scrollWidth") <= 1280
    assert browser.evaluate("(function(){var s=document.querySelector('.scroll');return s.scrollWidth<=s.clientWidth;})()")
    # No request but the page itself: no fonts, images, styles or scripts from anywhere.
    requests = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    failures = [e for e in browser.events if e.get("method") == "Network.loadingFailed"]
    assert requests == [page_url], requests
    assert failures == []
    if os.environ.get("TOKENMIN_UPDATE_GOLDENS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        image.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(SCREENSHOT, optimize=True)
    assert SCREENSHOT.exists() and SCREENSHOT.stat().st_size < 300 * 1024


def test_sorting_by_a_column_in_chromium(browser, page_url):
    browser.open(page_url, 1280, 800)

    def order():
        return browser.evaluate(
            "Array.prototype.map.call(document.getElementById('prompt-table').tBodies,"
            "function(b){return [b.rows[0].cells[0].getAttribute('data-v'), b.rows[0].cells[2].getAttribute('data-v')];})")

    before = order()
    costs = browser.evaluate(
        "Array.prototype.map.call(document.getElementById('prompt-table').tBodies,"
        "function(b){return parseFloat(b.rows[0].cells[6].getAttribute('data-v'));})")
    assert costs == sorted(costs, reverse=True)  # served most expensive first
    browser.evaluate("document.querySelectorAll('#prompt-table thead th')[2].querySelector('button').click()")
    dom = browser.evaluate("document.documentElement.outerHTML")
    parsed = parse(dom)
    tokens = [int(row[2][0]) for row in parsed.rows]
    assert tokens == sorted(tokens, reverse=True) and tokens != [int(t) for _, t in before]
    sorted_headers = [h for h in parsed.headers if "aria-sort" in h]
    assert len(sorted_headers) == 1 and sorted_headers[0]["aria-sort"] == "descending"
    browser.evaluate("document.querySelectorAll('#prompt-table thead th')[2].querySelector('button').click()")
    tokens = [int(row[2][0]) for row in parse(browser.evaluate("document.documentElement.outerHTML")).rows]
    assert tokens == sorted(tokens)
    browser.evaluate("document.querySelectorAll('#prompt-table thead th')[0].querySelector('button').click()")
    paths = [row[0][0] for row in parse(browser.evaluate("document.documentElement.outerHTML")).rows]
    assert paths == sorted(paths, key=str.lower) or paths == sorted(paths)
    # Each prompt's details stay with its row after sorting (one tbody per prompt).
    assert browser.evaluate(
        "Array.prototype.every.call(document.getElementById('prompt-table').tBodies,"
        "function(b){return b.rows.length===2 && b.rows[1].querySelector('details')!==null;})")


def test_the_page_reads_without_scripts_and_on_a_phone(browser, page_url):
    browser.open(page_url, 1280, 800, scripts=False)
    assert browser.evaluate("document.querySelectorAll('#prompt-table thead button').length") == 0  # plain headings
    image = browser.screenshot()
    left, top, right, bottom = box_of(browser, "#prompt-table")
    assert right - left > 600
    assert inked_share(image, (0, 0, 1280, 800)) > 0.03
    # Phone width: the page itself does not scroll sideways (the table scrolls in its own box).
    browser.open(page_url, 390, 844, mobile=True)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    image = browser.screenshot()
    assert inked_share(image, (0, 0, 390, 844)) > 0.03
    left, top, right, bottom = box_of(browser, ".bars")
    assert right <= 390 and right - left > 300
    # Opening a prompt's details shows its messages and findings.
    browser.open(page_url, 1280, 800)
    browser.evaluate("document.querySelector('#prompt-table details').open = true")
    left, top, right, bottom = box_of(browser, "#prompt-table details .d")
    assert bottom - top > 40
