"""Balance: the scenario's declared [balance] targets, measured.

The bots' ceilings are checked here on 300 seeds per strategy. The search-based targets (best plan, luck,
doctrines, mandatory and dead levers) take a full-strength search: `homegrown sweep --balance --strict`
(about a minute), whose machinery is tested below on an overlay with targets that must hold or must fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_support import one_error_line

from game.analysis.sweep import sweep
from game.cli import main


def test_the_bots_stay_under_the_declared_ceilings(content):
    targets = content.scenarios["default"].balance
    assert targets.do_nothing_max is not None and targets.random_max is not None
    result = sweep(content, "default", 300, ["do_nothing", "random"], progress=False)
    rates = {name: float((result.group(0, s).cols.outcome == 0).mean()) for s, name in enumerate(result.strategies)}
    assert rates["do_nothing"] <= targets.do_nothing_max
    assert rates["random"] <= targets.random_max


def _overlay(tmp_path: Path, repo_root: Path, balance: str) -> Path:
    text = (repo_root / "content" / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    folder = tmp_path / "pack" / "scenarios"
    folder.mkdir(parents=True)
    (folder / "tutorial.toml").write_text(text + "\n[balance]\n" + balance + "\n", encoding="utf-8")
    return tmp_path / "pack"


@pytest.mark.parametrize("balance, code, mark", [
    ("max_win_rate = 1.0\ndo_nothing_max = 1.0", 0, "balanced: every declared target holds"),
    ("max_win_rate = 0.0", 1, "NOT balanced: 1 of 1 targets fail"),
])
def test_sweep_balance_strict_exits_1_only_when_a_target_fails(balance, code, mark, tmp_path, repo_root, capsys):
    pack = _overlay(tmp_path, repo_root, balance)
    assert main(["sweep", "--scenario", "tutorial", "--games", "20", "--strategy", "do_nothing", "--balance",
                 "--strict", "--search-generations", "1", "--search-validate", "20", "--content", str(pack)]) == code
    out = capsys.readouterr().out
    assert mark in out and "max_win_rate" in out


def test_strict_needs_balance(capsys):
    assert main(["sweep", "--games", "2", "--strict"]) == 2
    assert "--strict" in one_error_line(capsys)




@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="today's default content is solved (one fixed plan wins ~99 %); the 'several ways to win' "
                          "work makes it meet its declared targets, and then this must pass")
def test_default_scenario_meets_its_declared_balance_targets_under_a_small_search(content):
    from game.analysis.doctrines import check_targets, doctrines, lever_verdicts
    from game.analysis.search import Settings, make_space, search
    from game.sim.compile import build_world

    settings = Settings(generations=10, population=24, seeds=16, validate=400)
    [best] = search(content, "default", ["fixed"], settings)
    found = doctrines(content, "default", best, settings)
    levers = lever_verdicts(best, make_space(build_world(content, "default")), found, 200)
    result = sweep(content, "default", 300, ["do_nothing", "random"], progress=False)
    bots = {name: float((result.group(0, s).cols.outcome == 0).mean()) for s, name in enumerate(result.strategies)}
    checks = check_targets(content.scenarios["default"].balance, best, found, levers, bots)
    assert len(checks) == 7  # every declared target was measured
    failed = [f"{c.target}: {c.detail}" for c in checks if not c.ok]
    assert not failed, failed
