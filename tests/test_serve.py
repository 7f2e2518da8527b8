"""`homegrown serve --class DIR` in a real browser: the server on a free local port, a headless Chromium
driven over its DevTools protocol; the page loads, a key press reaches the game, a turn ends, and the
student's save in the class folder gains the turn. Skipped (saying why) only when Chromium or
textual-serve is missing (.ci/run installs Chromium with apt-get when it can)."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli import main
from game.storage import read_save

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (Debian: apt-get install chromium)"),
    pytest.mark.slow,
]
aiohttp = pytest.importorskip("aiohttp", reason="homegrown[serve] (textual-serve) is not installed")
pytest.importorskip("textual_serve", reason="homegrown[serve] (textual-serve) is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Browser:
    """Just enough of the DevTools protocol: evaluate, click, press keys."""

    def __init__(self, ws):
        self.ws, self.n = ws, 0

    async def call(self, method: str, **params):
        self.n += 1
        await self.ws.send_json({"id": self.n, "method": method, "params": params})
        while True:
            msg = await self.ws.receive_json(timeout=30)
            if msg.get("id") == self.n:
                return msg.get("result", {})

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def key(self, key: str, code: str, text: str = "", keycode: int = 0):
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, text=text if kind == "keyDown" else "",
                            windowsVirtualKeyCode=keycode, nativeVirtualKeyCode=keycode)

    async def click(self, x: int, y: int):
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


@pytest.fixture()
def served_class(tmp_path):
    folder = tmp_path / "class"
    assert main(["classroom", "new", "--scenario", "exercise-procurement-2018", "--students", "1",
                 "--out", str(folder)]) == 0
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "game", "serve", "--class", str(folder), "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        wait_for(lambda: listening(port) or server.poll() is not None, 30, "the server to listen")
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        yield folder, port
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_a_student_plays_a_turn_in_a_real_browser(served_class, tmp_path):
    folder, port = served_class
    save = folder / "student-01" / "student-01.json"
    debug = free_port()
    chrome = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={debug}",
                               f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900", "about:blank"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: listening(debug), 30, "chromium's DevTools port")

        async def drive() -> None:
            async with aiohttp.ClientSession() as http:
                targets = await (await http.get(f"http://127.0.0.1:{debug}/json/list")).json()
                page = next(t for t in targets if t["type"] == "page")
                async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    b = Browser(ws)
                    await b.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
                    deadline = time.monotonic() + 60
                    while time.monotonic() < deadline:  # the page loads and the game sends its first screen
                        if await b.evaluate("document.body.classList.contains('-first-byte')"):
                            break
                        await asyncio.sleep(0.5)
                    else:
                        raise AssertionError("the game never drew in the page (textual-serve's first byte)")
                    await asyncio.sleep(2.0)
                    await b.click(640, 450)
                    await b.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
                    await b.key("Enter", "Enter", "\r", 13)  # a key press reaches the game: picks the name
                    await asyncio.sleep(3.0)
                    deadline = time.monotonic() + 90
                    while time.monotonic() < deadline and not read_save(save).turns:
                        await b.key("e", "KeyE", "e", 69)  # end the turn...
                        await asyncio.sleep(1.5)
                        await b.key("y", "KeyY", "y", 89)  # ...yes to whatever it asks (Enter is the safe no)
                        await asyncio.sleep(1.5)
                        await b.key("Enter", "Enter", "\r", 13)  # an event's answer, or the turn report closed
                        await asyncio.sleep(1.5)
                    shot = await b.call("Page.captureScreenshot", format="png")
                    (tmp_path / "page.png").write_bytes(base64.b64decode(shot["data"]))  # to look at on failure
                    assert read_save(save).turns, f"no turn reached the class folder (see {tmp_path / 'page.png'})"

        asyncio.run(drive())
    finally:
        chrome.terminate()
        try:
            chrome.wait(10)
        except subprocess.TimeoutExpired:
            chrome.kill()
    doc = read_save(save)
    assert len(doc.turns) >= 1 and doc.player == "human" and doc.name == "student-01"
    assert json.loads(Path(save).read_text())["format_version"] == 4
