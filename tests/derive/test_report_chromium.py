"""The HTML report as a reader sees it: rendered by headless Chromium.

Two things are asserted in the browser itself: the mathematics is laid out (MathML
elements whose fractions stack, and no LaTeX command in the visible text), and the
page makes no network request (Chromium's DevTools protocol reports every request).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from derive import check_paths, collect
from derive._render._html import math, prose, render_html
from derive._render._plots import plots_available

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(name)), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Chromium: `apt-get install chromium` (.ci/run installs it)")
websocket = pytest.importorskip("websocket", reason="needs websocket-client (the 'test' extra)")

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--remote-debugging-port=0"]
WATCH_POLICY = ("window.__violations = [];"
                "document.addEventListener('securitypolicyviolation',"
                " e => window.__violations.push(e.blockedURI));")
LAYOUT = """(() => {
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const fractions = [...document.querySelectorAll('mfrac')].filter(shown);
  const stacked = fractions.filter(f => f.children[0].getBoundingClientRect().bottom
                                       <= f.children[1].getBoundingClientRect().top + 1);
  return {text: document.body.innerText,
          math: [...document.querySelectorAll('math')].filter(shown).length,
          svg: [...document.querySelectorAll('svg')].filter(shown).length,
          fractions: fractions.length, stacked: stacked.length,
          fallbacks: document.querySelectorAll('.latex-source').length,
          violations: window.__violations};
})()"""
LATEX_COMMAND = re.compile(r"\\(frac|mathbb|sum|left|right|text|hat|begin|newline|[A-Za-z]+)")


class Browser:
    """Headless Chromium driven through the DevTools protocol (one page)."""

    def __init__(self, profile: Path) -> None:
        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}",
                                         "about:blank"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        port = self._port(profile / "DevToolsActivePort")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                                  suppress_origin=True)
        self.events: list[dict] = []
        self.next_id = 0
        for method in ("Page.enable", "Network.enable", "Runtime.enable"):
            self.call(method)
        self.call("Page.addScriptToEvaluateOnNewDocument", source=WATCH_POLICY)

    def _port(self, active_port: Path, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if active_port.exists() and active_port.read_text().strip():
                return int(active_port.read_text().split()[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"Chromium exited with status {self.process.returncode}")
            time.sleep(0.05)
        raise TimeoutError("Chromium did not open its DevTools port")

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def open(self, path: Path) -> list[str]:
        """Load ``path``; the URLs of every request the page made."""
        self.events.clear()
        self.call("Page.navigate", url=path.as_uri())
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(json.loads(self.socket.recv()))
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression,
                         returnByValue=True)["result"]["value"]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("Browser.close")
        self.socket.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def _external(urls: list[str], page: Path) -> list[str]:
    return [url for url in urls if url != page.as_uri() and not url.startswith("data:")]


def test_the_request_watch_sees_a_request_when_there_is_one(browser, tmp_path):
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/pixel.png">', encoding="utf-8")
    assert _external(browser.open(page), page) == ["http://127.0.0.1:9/pixel.png"]


def test_the_report_lays_out_its_mathematics_and_requests_nothing(browser, tmp_path):
    report = check_paths([ROOT / "proofs" / "softmax.py", ROOT / "proofs" / "estimators.py"])
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    requests = browser.open(page)
    seen = browser.evaluate(LAYOUT)
    assert _external(requests, page) == [] and seen["violations"] == []
    assert seen["math"] > 50 and seen["fallbacks"] == 0
    assert seen["fractions"] > 10 and seen["stacked"] == seen["fractions"]
    assert seen["svg"] >= 1 or not plots_available()  # the softmax overflow plot
    assert LATEX_COMMAND.findall(seen["text"]) == []
    assert "meet their expectation" in seen["text"]


def test_every_formula_of_the_proofs_is_laid_out_in_the_browser(browser, tmp_path):
    formulas = []
    for proof in collect([ROOT / "proofs"]):
        for d in proof.derivations:
            formulas.append(prose(d.source.quote))
            formulas += [math(s.latex, s.expr, display=True) for s in d.lines()]
    page = tmp_path / "formulas.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
                    + "".join(f"<p>{f}</p>" for f in formulas) + "</body></html>",
                    encoding="utf-8")
    assert _external(browser.open(page), page) == []
    seen = browser.evaluate(LAYOUT)
    assert seen["fallbacks"] == 0 and seen["stacked"] == seen["fractions"]
    assert LATEX_COMMAND.findall(seen["text"]) == []
