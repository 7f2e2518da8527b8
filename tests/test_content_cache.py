"""The parsed-content cache: same pack, same Content; any change to a file, a fresh load; a broken
cache file is rebuilt, never trusted."""

from __future__ import annotations

import shutil
import sys

import pytest

from game.content import cache, loader
from game.content.loader import ContentError, default_content_dir, load_content


def _cache_path(folders):
    return cache.key(folders)


@pytest.fixture()
def pack(tmp_path, monkeypatch):
    monkeypatch.setenv("HOMEGROWN_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "pack"
    shutil.copytree(default_content_dir(), folder)
    return folder


def test_second_load_comes_from_the_cache_and_equals_the_first(pack):
    first = load_content(pack, include_default=False)
    cached = _cache_path([pack])
    assert cached is not None and cached.is_file()
    second = load_content(pack, include_default=False)
    assert second == first and second.fingerprint == first.fingerprint


def test_a_cached_pack_is_read_not_parsed_again(pack, monkeypatch):
    first = load_content(pack, include_default=False)

    def no_parsing(folders):
        raise AssertionError("the pack was parsed again instead of read from the cache")

    monkeypatch.setattr(loader, "_load", no_parsing)
    assert load_content(pack, include_default=False) == first


def test_a_changed_file_is_loaded_afresh(pack):
    first = load_content(pack, include_default=False)
    vendors = pack / "vendors.toml"
    vendors.write_text(vendors.read_text(encoding="utf-8").replace('name = "NEC"', 'name = "NEC Corp."'),
                       encoding="utf-8")
    second = load_content(pack, include_default=False)
    assert second.vendors["nec"].name == "NEC Corp."
    assert second.fingerprint != first.fingerprint


def test_a_broken_cache_file_is_rebuilt(pack):
    first = load_content(pack, include_default=False)
    _cache_path([pack]).write_bytes(b"not a pickle")
    assert load_content(pack, include_default=False) == first


def test_broken_content_is_never_cached(pack):
    (pack / "vendors.toml").write_text("[[vendor]]\nid = 3\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_content(pack, include_default=False)
    assert not _cache_path([pack]).exists()


def test_cache_can_be_switched_off(pack, monkeypatch):
    monkeypatch.setenv("HOMEGROWN_CACHE", "off")
    assert _cache_path([pack]) is None
    assert load_content(pack, include_default=False).vendors


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is Linux's rule")
@pytest.mark.parametrize("xdg", [None, "", "  ", "/srv/cache"])
def test_the_default_folder_is_platformdirs_own(monkeypatch, xdg):
    import platformdirs

    monkeypatch.delenv("HOMEGROWN_CACHE", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache._folder() == platformdirs.user_cache_path("homegrown", appauthor=False)
