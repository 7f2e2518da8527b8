"""Behaviour pinned across refactors: the state hash of every scenario × built-in strategy for seeds 0-9,
and `homegrown run --json` documents byte for byte. Fixtures were recorded before the renovation; a
deliberate model change regenerates them with `tests/fixtures/golden/make_golden.py`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
TABLE = json.loads((GOLDEN / "state_hashes.json").read_text())


@pytest.mark.parametrize("scenario", sorted(TABLE))
def test_state_hashes_match_the_recorded_table(scenario, tmp_path, capsys):
    assert main(["sweep", "--games", "10", "--scenario", scenario, "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    rows = [json.loads(line) for line in (tmp_path / "games.jsonl").read_text().splitlines()]
    got: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: (r["strategy"], r["seed"])):
        got.setdefault(row["strategy"], []).append(row["state_hash"])
    assert got == TABLE[scenario]


@pytest.mark.parametrize("fixture", sorted(p.name for p in GOLDEN.glob("run-*.json")))
def test_run_json_document_is_byte_for_byte_unchanged(fixture, capsys):
    stem = fixture.removeprefix("run-").removesuffix(".json")
    strategy = stem.rsplit("-", 1)[1]
    scenario, seed = stem.removesuffix(f"-{strategy}").rsplit("-", 1)
    assert main(["run", "--scenario", scenario, "--seed", seed, "--strategy", strategy, "--json", "-"]) == 0
    out, _ = capsys.readouterr()
    assert out.encode() == (GOLDEN / fixture).read_bytes()
