"""Balance: the scenario's declared [balance] targets, measured.

The bots' ceilings are checked here on 300 seeds per strategy. The search-based targets (best plan, luck,
reactive against fixed, doctrines, mandatory and dead levers, useful categories, answer policies, the
look-ahead bot) take a full-strength search: `homegrown sweep --balance --strict`
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
    text = text.split("\n[balance]")[0]  # the overlay's targets replace the tutorial's own
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
                 "--strict", "--search-generations", "1", "--search-validate", "20", "--verdict-games", "100",
                 "--content", str(pack)]) == code
    out = capsys.readouterr().out
    assert mark in out and "max_win_rate" in out


def test_strict_needs_balance(capsys):
    assert main(["sweep", "--games", "2", "--strict"]) == 2
    assert "--strict" in one_error_line(capsys)




def test_the_default_answers_are_a_real_choice_on_balanced(content):
    """`min_answer_spread` needs no search: `balanced`'s spending with every answer policy, paired. The
    default's search-based targets are checked at full strength by benchmarks/balance.py (about 25 minutes
    on two cores): a smaller search finds no reactive plan ahead of the fixed one, so it cannot judge them."""
    from game.analysis.policies import on_strategy, with_search
    from game.sim.compile import build_world
    from game.strategies.builtin import balanced

    target = content.scenarios["default"].balance.min_answer_spread
    assert target is not None
    world = build_world(content, "default")
    rates = on_strategy(world, balanced(), with_search(world, None), 300)
    assert rates.spread >= target, rates.rates


OTHERS = ["tutorial", "6g-race", "southeast-asia", "history-2019", "exercise-southeast-asia", "exercise-procurement-2018"]


def test_every_shipped_scenario_declares_balance_targets_and_is_checked_here(content):
    declared = {sid for sid, sc in content.scenarios.items() if sc.balance.model_dump(exclude_none=True)}
    assert declared == set(content.scenarios) == {"default", *OTHERS}


@pytest.mark.parametrize("scenario", OTHERS)
def test_every_other_scenario_meets_its_declared_balance_targets_under_a_small_search(content, scenario):
    """Each scenario declares what it promises (the tutorial is generous, the 6G race winnable...)."""
    assert content.scenarios[scenario].balance.do_nothing_max is not None  # it declares targets at all
    assert_meets_its_targets(content, scenario)


def assert_meets_its_targets(content, scenario: str) -> None:
    from game.analysis.balance import BotRate, check_targets, measure
    from game.analysis.search import Settings, search

    targets = content.scenarios[scenario].balance
    settings = Settings(generations=10, population=24, seeds=16, validate=400)
    found = search(content, scenario, ["fixed"], settings)
    result = sweep(content, scenario, 300, ["do_nothing", "random"], progress=False)
    bots = {name: BotRate(int((result.group(0, s).cols.outcome == 0).sum()), 300)
            for s, name in enumerate(result.strategies)}
    # measure() adds the reactive family when reactive_beats_fixed_by is declared, plays lookahead for
    # lookahead_min, and judges the categories and the answer policies
    measures = measure(content, scenario, found, settings, bots=bots, verdict_games=200, lookahead_games=60)
    checks = check_targets(targets, measures)
    declared = {k for k, v in targets.model_dump().items() if v is not None and v is not False}
    assert {c.target for c in checks} == declared  # every declared target was measured
    failed = [f"{c.target}: {c.detail}" for c in checks if not c.ok]
    assert not failed, failed
