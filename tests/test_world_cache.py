"""The compiled-world cache `homegrown run` plays from: the same games as a world compiled afresh, read
back without parsing, validating or compiling, rebuilt when any content file changes, and never made
from a pack with problems."""

from __future__ import annotations

import numpy as np
import pytest

from game.cli import main
from game.cli.common import load_world
from game.content.plain import Record
from game.play.headless import run_game
from game.play.runner import play
from game.sim.compile import build_world
from game.strategies import get_strategy

SEEDS = np.arange(12)


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("HOMEGROWN_CACHE", str(folder))
    return folder


def no_compiling(*args, **kwargs):
    raise AssertionError("the world was compiled again instead of read from the cache")


def test_a_cached_world_plays_the_games_of_a_fresh_one_in_every_scenario(cache_dir, content, monkeypatch):
    for scenario in content.scenarios:
        fresh = build_world(content, scenario)
        load_world([], scenario)  # compiles and caches
        monkeypatch.setattr("game.sim.compile.build_world", no_compiling)
        monkeypatch.setattr("game.content.loader._load", no_compiling)
        cached = load_world([], scenario)
        monkeypatch.undo()
        monkeypatch.setenv("HOMEGROWN_CACHE", str(cache_dir))
        assert isinstance(cached.scenario, Record) and isinstance(next(iter(cached.content.events.values())), Record)
        for name in ("balanced", "random", "greedy"):
            strategy = get_strategy(name)
            assert play(cached, SEEDS, strategy).hashes() == play(fresh, SEEDS, strategy).hashes(), (scenario, name)
        assert run_game(cached.content, scenario, 3, "balanced", cached) == run_game(content, scenario, 3, "balanced")


def test_a_changed_content_file_is_compiled_afresh(cache_dir, tmp_path):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "model.toml").write_text("max_events_per_turn = 3\n", encoding="utf-8")
    first = load_world([str(overlay)], "default")
    assert first.model.max_events_per_turn == 3
    (overlay / "model.toml").write_text("max_events_per_turn = 1\n", encoding="utf-8")
    second = load_world([str(overlay)], "default")
    assert second.model.max_events_per_turn == 1
    assert second.content.fingerprint != first.content.fingerprint
    assert len(list(cache_dir.glob("world-default-*.pickle"))) == 2


def test_a_broken_cache_file_is_rebuilt(cache_dir):
    first = load_world([], "default")
    [cached] = cache_dir.glob("world-default-*.pickle")
    cached.write_bytes(b"not a pickle")
    again = load_world([], "default")
    assert again.content.fingerprint == first.content.fingerprint
    assert cached.read_bytes() != b"not a pickle"


def test_a_broken_pack_names_file_and_key_and_is_never_cached(cache_dir, tmp_path, capsys):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "levers.toml").write_text('[[lever]]\nid = "rnd-b5g"\nmax = "lots"\n', encoding="utf-8")
    assert main(["run", "--content", str(overlay), "--json", "-"]) == 1
    err = capsys.readouterr().err
    assert "levers.toml" in err and "max" in err and "Traceback" not in err
    assert not list(cache_dir.glob("world-*.pickle"))


def test_an_unknown_scenario_is_one_line_on_a_warm_cache_too(cache_dir, capsys):
    assert main(["run", "--scenario", "default", "--json", "-"]) == 0
    capsys.readouterr()
    assert main(["run", "--scenario", "nope", "--json", "-"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "unknown scenario 'nope'" in line
