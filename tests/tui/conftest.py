"""TUI tests: a pinned environment for every test (helpers live in tui_support.py)."""

from __future__ import annotations

import pytest
from tui_support import tui_content


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch, tmp_path):
    # every game autosaves: into this test's own folder, never the checkout's saves/
    monkeypatch.setenv("HOMEGROWN_SAVES", str(tmp_path / "saves"))
    # and its own settings: a theme one test chose is not the next test's
    monkeypatch.setenv("HOMEGROWN_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("HOMEGROWN_DEBUG", raising=False)


@pytest.fixture
def content():
    return tui_content()
