"""The balance targets of the "several ways to win" issue, measured on crafted packs where the verdict is known
(the tutorial with its goals calibrated to today's content, see _balance_support):
a category that cannot matter fails `every_category_useful` (and the same levers moved into it pass), an
event answer that dominates fails `max_answer_gain` (and identical answers pass), every declared key gives
exactly one check line. CI-sized: the tutorial, tiny searches, a few hundred paired games."""

from __future__ import annotations

import numpy as np
import pytest
from _balance_support import SCENARIO, calibrated, write_scenario

from game.analysis.balance import BotRate, Measures, bots_needed, check_targets, measure
from game.analysis.doctrines import NOISE, category_uses, lever_verdicts
from game.analysis.policies import on_strategy, with_search
from game.analysis.search import Found, Settings, make_space, search
from game.analysis.sweep import sweep
from game.cli import main
from game.content.schema import CATEGORIES, AddEffect, BalanceTargets, Choice, Event, Lever, Trigger
from game.sim.compile import build_world
from game.strategies.builtin import balanced

TINY = Settings(generations=3, population=8, seeds=8, validate=120)
GAMES = 200


def unoffered_category(content) -> str:
    world = build_world(calibrated(content), SCENARIO)
    offered = {CATEGORIES[c] for c in world.arrays["lever_category"][world.controllable]}
    missing = [c for c in CATEGORIES if c not in offered]
    if not missing:
        pytest.skip("the tutorial offers a lever of every category")
    return missing[0]


def test_a_funded_category_that_does_nothing_is_not_useful_and_fails_the_target(content):
    category = unoffered_category(content)
    idle = Lever(id="idle-lever", name="Idle", category=category, short="Does nothing.", description="Nothing.",
                 max=6, saturation=5, effects=[AddEffect(kind="add", target="approval", amount=0.0)])
    scenario = content.scenarios[SCENARIO]
    pack = calibrated(content, new_levers={idle.id: idle}, levers=[*(scenario.levers or content.levers), idle.id],
                   balance=BalanceTargets(every_category_useful=True))
    [best] = search(pack, SCENARIO, ["fixed"], TINY)
    world = build_world(pack, SCENARIO)
    assert best.spend[category] > 0.01  # the plan really funds the idle lever: its removal is not vacuous
    uses = {u.category: u for u in category_uses([("fixed", best)], make_space(world), GAMES)}
    assert not uses[category].useful and uses[category].removed["fixed"] >= -NOISE  # its money helps elsewhere
    strongest = min(uses.values(), key=lambda u: u.removed["fixed"])
    assert strongest.useful  # the check is not blind: some category's removal costs
    m = measure(pack, SCENARIO, [best], TINY, verdict_games=GAMES)
    [check] = check_targets(pack.scenarios[SCENARIO].balance, m)
    assert check.target == "every_category_useful" and not check.ok
    assert category in check.detail.split("not useful in any:")[1]


def test_a_category_holding_the_decisive_lever_is_useful(content):
    """The same idle category, given the lever whose removal costs the best plan most: now it is useful."""
    category = unoffered_category(content)
    base = calibrated(content)
    [best] = search(base, SCENARIO, ["fixed"], TINY)
    world = build_world(base, SCENARIO)
    decisive = min(lever_verdicts(best, make_space(world), [], GAMES), key=lambda v: v.removed)
    assert decisive.removed < -NOISE
    moved = content.levers[decisive.lever].model_copy(update={"category": category})
    pack = calibrated(content, new_levers={moved.id: moved})
    [best] = search(pack, SCENARIO, ["fixed"], TINY)
    uses = {u.category: u for u in category_uses([("fixed", best)], make_space(build_world(pack, SCENARIO)), GAMES)}
    assert uses[category].useful


def budget_event(cut_by_default: float, other: float) -> Event:
    """An event every quarter: its default answer changes next quarter's budget by cut_by_default, the other
    answer by `other`."""
    def answer(cid: str, amount: float) -> Choice:
        return Choice(id=cid, label=cid, effects=[AddEffect(kind="add", target="budget", amount=amount)])

    return Event(id="crafted-budget-call", title="A budget call", category="politics", text="Every quarter.",
                 trigger=Trigger(probability=1.0, once=False, cooldown=1),
                 choices=[answer("give-up", cut_by_default), answer("keep", other)], default=0)


def only_event(content, event: Event, targets: BalanceTargets):
    others = [e for e in content.events if e != event.id]
    return calibrated(content, new_events={event.id: event}, exclude_events=others, balance=targets)


@pytest.mark.parametrize("cut, dominant", [(-12.0, True), (0.0, False)],
                         ids=["a dominant answer", "identical answers"])
def test_answer_policies_find_a_dominant_answer(cut, dominant, content):
    targets = BalanceTargets(max_answer_gain=0.15, min_answer_spread=0.10)
    pack = only_event(content, budget_event(cut, 0.0), targets)
    [best] = search(pack, SCENARIO, ["fixed"], TINY)
    m = measure(pack, SCENARIO, [best], TINY, verdict_games=GAMES)
    checks = {c.target: c for c in check_targets(targets, m)}
    assert set(checks) == {"max_answer_gain", "min_answer_spread"}
    assert m.answers_best is not None and m.answers_balanced is not None
    if dominant:  # the default answer gives the quarter's money away: the other answer wins far more
        assert not checks["max_answer_gain"].ok, checks["max_answer_gain"].detail
        assert m.answers_best.rates["default"] < m.answers_best.rates["answer-2"] - 0.3
        assert "gain of" in checks["max_answer_gain"].detail and m.answers_balanced.spread > 0
    else:  # one answerable event whose two answers do the same: every policy plays the same games
        assert checks["max_answer_gain"].ok and not checks["min_answer_spread"].ok
        assert m.answers_best.gain == 0 and m.answers_balanced.spread == 0 and len(m.answers_best.rates) == 2


def test_answer_policies_on_balanced_are_paired_with_the_default_answers(content):
    world = build_world(content, SCENARIO)
    made = with_search(world, None)
    rates = on_strategy(world, balanced(), made, 50)
    alone = sweep(content, SCENARIO, 50, ["balanced"], progress=False)
    assert rates.rates["default"] == pytest.approx(float((alone.group(0, 0).cols.outcome == 0).mean()))


def every_target() -> BalanceTargets:
    return BalanceTargets(min_win_rate=0.0, max_win_rate=1.0, best_loses_at_least=0.0, min_viable_doctrines=0, max_mandatory_levers=9,
                          max_dead_levers=9, do_nothing_max=1.0, random_max=1.0, reactive_beats_fixed_by=-1.0,
                          every_category_useful=True, max_answer_gain=1.0, min_answer_spread=0.0, lookahead_min=0.0)


def declared(targets: BalanceTargets) -> set[str]:
    return {k for k, v in targets.model_dump().items() if v is not None and v is not False}


def test_every_declared_target_gives_one_check_line_in_words(content):
    targets = every_target()
    pack = calibrated(content, balance=targets)
    m = measure(pack, SCENARIO, [], TINY, verdict_games=60, lookahead_games=8)
    assert {f.family for f in m.families} == {"fixed", "reactive"}  # declared reactive_beats_fixed_by: both searched
    assert set(m.bots) == set(bots_needed(targets)) == {"do_nothing", "random", "lookahead"}
    checks = check_targets(targets, m)
    assert sorted(c.target for c in checks) == sorted(declared(targets))
    by = {c.target: c for c in checks}
    fixed, reactive = m.family("fixed"), m.family("reactive")
    assert fixed is not None and reactive is not None
    assert f"{reactive.win_rate:.1%}" in by["reactive_beats_fixed_by"].detail
    assert f"{fixed.win_rate:.1%}" in by["reactive_beats_fixed_by"].detail
    assert "lookahead wins" in by["lookahead_min"].detail and "of 8 games" in by["lookahead_min"].detail
    assert all(c.ok for c in checks if c.target != "every_category_useful"), [c.detail for c in checks if not c.ok]


def _measures(fixed_rate: float, reactive_rate: float, lookahead: float) -> Measures:
    def found(family: str, rate: float) -> Found:
        return Found(family, np.zeros(1), np.zeros(0, dtype=np.int64), round(rate * 100), 100, 0.0, {}, {}, 0.0, 1)

    return Measures([found("fixed", fixed_rate), found("reactive", reactive_rate)], [], [], [], [], None, None,
                    {"lookahead": BotRate(round(lookahead * 100), 100)})


@pytest.mark.parametrize("fixed, reactive, by, ok", [(0.50, 0.56, 0.05, True), (0.50, 0.54, 0.05, False),
                                                      (0.50, 0.55, 0.05, True), (0.60, 0.50, 0.0, False),
                                                      (0.50, 0.50, 0.0, True)])
def test_reactive_must_beat_fixed_by_the_declared_points(fixed, reactive, by, ok):
    [check] = check_targets(BalanceTargets(reactive_beats_fixed_by=by), _measures(fixed, reactive, 0.5))
    assert check.ok is ok
    assert ("level" if reactive == fixed else "ahead" if reactive > fixed else "behind") in check.detail


@pytest.mark.parametrize("rate, ok", [(0.39, False), (0.40, True), (0.9, True)])
def test_lookahead_must_win_at_least_the_declared_share(rate, ok):
    [check] = check_targets(BalanceTargets(lookahead_min=0.40), _measures(0.5, 0.5, rate))
    assert check.ok is ok and "(at least 40%)" in check.detail


@pytest.mark.parametrize("rate, ok", [(0.19, False), (0.20, True)])
def test_a_winnable_scenario_needs_its_best_plan_to_win_the_declared_share(rate, ok):
    [check] = check_targets(BalanceTargets(min_win_rate=0.20), _measures(rate, 0.0, 0.5))
    assert check.ok is ok and check.target == "min_win_rate" and "(at least 20%)" in check.detail


def test_only_what_a_declared_target_needs_is_measured(content):
    pack = calibrated(content, balance=BalanceTargets(max_win_rate=1.0, min_answer_spread=0.0))
    m = measure(pack, SCENARIO, [], TINY, verdict_games=40)
    assert m.doctrines == [] and m.levers == [] and m.categories == [] and m.answers == []
    assert m.answers_best is None and m.answers_balanced is not None  # the spread needs `balanced`'s policies
    assert [c.target for c in check_targets(pack.scenarios[SCENARIO].balance, m)] == ["max_win_rate",
                                                                                        "min_answer_spread"]


def _overlay(tmp_path, content, targets: BalanceTargets, event_toml: str = ""):
    pack = tmp_path / "pack"
    write_scenario(calibrated(content, balance=targets), pack)
    if event_toml:
        (pack / "events").mkdir()
        (pack / "events" / "crafted.toml").write_text(event_toml, encoding="utf-8")
    return pack


DOMINANT = """
[[event]]
id = "crafted-budget-call"
title = "A budget call"
category = "politics"
text = "Every quarter the cabinet asks for the ministry's money back."
trigger = { probability = 1.0, once = false, cooldown = 1 }
scenarios = ["tutorial"]
default = 0

[[event.choices]]
id = "give-up"
label = "Give it all back"
effects = [ { kind = "add", target = "budget", amount = -12 } ]

[[event.choices]]
id = "keep"
label = "Keep it"
"""


def test_sweep_balance_strict_fails_a_dominant_answer_and_says_so(tmp_path, content, capsys):
    pack = _overlay(tmp_path, content, BalanceTargets(max_answer_gain=0.15, lookahead_min=0.0), DOMINANT)
    assert main(["sweep", "--scenario", "tutorial", "--games", "10", "--strategy", "do_nothing", "--balance",
                 "--strict", "--search-generations", "2", "--search-validate", "40", "--verdict-games", "100",
                 "--lookahead-games", "4", "--content", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "✘ max_answer_gain: on the best plan (fixed), the best answer policy" in out
    assert "✔ lookahead_min: lookahead wins" in out and "of 4 games" in out
    assert "NOT balanced: 1 of 2 targets fail" in out


def test_search_balance_reports_the_new_checks_in_text_and_json(tmp_path, content, capsys):
    import json

    pack = _overlay(tmp_path, content, BalanceTargets(reactive_beats_fixed_by=0.05, every_category_useful=True,
                                                      min_answer_spread=0.0))
    assert main(["search", "--scenario", "tutorial", "--generations", "2", "--population", "6", "--seeds", "6",
                 "--validate", "40", "--verdict-games", "60", "--balance", "--content", str(pack),
                 "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f["family"] for f in doc["families"]] == ["fixed", "reactive"]  # reactive added for the target
    b = doc["balance"]
    assert {t["target"] for t in b["targets"]} == {"reactive_beats_fixed_by", "every_category_useful",
                                                    "min_answer_spread"}
    assert [c["category"] for c in b["categories"]] == list(CATEGORIES)
    assert b["answer_policies"]["balanced"]["win_rates"]["default"] >= 0
    assert b["balanced"] is all(t["ok"] for t in b["targets"])
    assert main(["search", "--scenario", "tutorial", "--generations", "2", "--population", "6", "--seeds", "6",
                 "--validate", "40", "--verdict-games", "60", "--balance", "--content", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "Answer policies" in out and "Categories removed" in out and "reactive_beats_fixed_by:" in out
    assert "Balance targets (the scenario's [balance]):" in out
