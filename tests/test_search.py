"""`homegrown search`: a CI-sized search (the full-strength one is benchmarks/bench_search.py)."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pytest
from _cli_support import one_error_line

from game.analysis.search import FAMILY, SearchError, Settings, make_space, parse_constraint, search
from game.cli import main
from game.sim.compile import build_world

SMALL = Settings(generations=3, population=8, seeds=8, validate=60)


def table(found, world, forbid=(), constraints=()):
    """[T,L] the static plan a found candidate spends."""
    return FAMILY[found.family].tables(found.theta[None], make_space(world, forbid, constraints))[0]


@pytest.fixture(scope="module")
def small(content):
    return search(content, "default", ["fixed", "phased"], SMALL)


def test_the_same_search_gives_the_same_plans_whatever_the_workers(content, small):
    again = search(content, "default", ["fixed", "phased"], SMALL, workers=2)
    for a, b in zip(small, again, strict=True):
        assert np.array_equal(a.theta, b.theta) and np.array_equal(a.choices, b.choices)
        assert (a.wins, a.score) == (b.wins, b.score)


def test_a_plan_spends_within_the_budget_and_the_levers_max(small, world):
    for found in small:
        plan = table(found, world)
        assert (plan.sum(axis=1) <= world.scenario.budget + 1e-9).all()
        assert (plan <= world.arrays["lever_max"] + 1e-9).all()
        assert plan.sum() > 0


def test_the_written_plan_replays_through_sweep_to_the_validated_result(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["search", "--generations", "2", "--population", "6", "--seeds", "6", "--validate", "40",
                 "--out", str(out), "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    family = doc["families"][0]
    plan = out / "plan-fixed.toml"
    assert family["plan"] == str(plan) and tomllib.loads(plan.read_text())["turn"]
    assert (out / "search.md").read_text().startswith("# Balance search")
    assert main(["sweep", "--games", "40", "--strategy", f"scripted:{plan}", "--out", str(tmp_path / "sw")]) == 0
    capsys.readouterr()
    rows = [json.loads(line) for line in (tmp_path / "sw" / "games.jsonl").read_text().splitlines()]
    assert [r["seed"] for r in rows] == list(range(40))
    assert sum(r["outcome"] == "victory" for r in rows) == family["wins"]


def test_forbidden_levers_get_nothing_and_constraints_shape_the_plan(content, world):
    forbid, constraints = ["rip-and-replace", "alliance"], [parse_constraint("export=0.4..1")]
    [found] = search(content, "default", ["fixed"], SMALL, forbid=forbid, constraints=constraints)
    spent = dict(zip(world.lever_ids, table(found, world, forbid, constraints).sum(axis=0), strict=True))
    assert spent["rip-and-replace"] == 0
    assert all(spent[lv.id] == 0 for lv in content.levers.values() if lv.category == "alliance")
    assert found.spend["export"] >= 0.4 - 1e-6 or found.violation > 0  # met, or said to be missed


@pytest.mark.parametrize("args, message", [
    (["--family", "clever"], "unknown family 'clever'"),
    (["--forbid", "rnd-b5x"], "did you mean 'rnd-b5g'"),
    (["--constrain", "exports=0.4..1"], "unknown category 'exports'"),
    (["--constrain", "export=0.7..1", "--constrain", "subsidy=0.5..1"], "cannot all hold"),
    (["--constrain", "export=0.4"], "expected CATEGORY=MIN..MAX"),
    (["--budget", "0"], "more than 0 seconds"),
    (["--budget", "-3"], "more than 0 seconds"),
    (["--generations", "0"], "must be 1 or more"),
])
def test_bad_arguments_are_one_line_and_exit_2(args, message, capsys):
    assert main(["search", "--generations", "1", "--population", "4", "--seeds", "2", "--validate", "2",
                 *args]) == 2
    assert message in one_error_line(capsys)


def test_constraint_parsing_accepts_shares_and_percentages():
    assert parse_constraint("export=0.4..1").low == 0.4
    assert parse_constraint("export=40..100").low == pytest.approx(0.4)
    with pytest.raises(SearchError):
        parse_constraint("export=0.8..0.2")


def test_balance_findings_hang_together(content, world, small):
    from game.analysis.doctrines import DOCTRINE_SHARE, answer_verdicts, doctrines, lever_verdicts

    best = small[0]
    found = doctrines(content, "default", best, SMALL)
    assert {d.category for d in found} == {"subsidy", "rnd", "workforce", "export", "alliance"}
    for d in found:
        assert d.verdict == "dead" or d.found.spend[d.category] >= DOCTRINE_SHARE - 1e-3
        assert d.gap == pytest.approx(best.win_rate - d.found.win_rate)
    space = make_space(world)
    levers = lever_verdicts(best, space, found, games=30)
    assert [v.lever for v in levers] == [lv for lv, free in zip(world.lever_ids, space.free, strict=True) if free]
    assert {v.verdict for v in levers} <= {"mandatory", "useful", "dead", "no effect"}
    answers = answer_verdicts(best, space, games=30)
    for a in answers:
        event = content.events[a.event]
        assert set(a.rates) == {c.id for c in event.choices}
        assert a.rates[a.best] == max(a.rates.values())
        assert a.matters == pytest.approx(max(a.rates.values()) - min(a.rates.values()))


def test_removing_a_lever_in_the_verdicts_is_the_plan_searched_without_it(content, world, small):
    """The 'removed' figure is reproducible: the same plan with the lever forbidden, replayed on its own."""
    from game.analysis.doctrines import _wins, lever_verdicts

    best, space = small[0], make_space(world)
    [first, *_] = lever_verdicts(best, space, [], games=30, seed_start=5)
    without = table(best, world, forbid=[first.lever])
    alone = _wins(space, np.stack([table(best, world), without]), np.stack([best.choices] * 2), 5 + np.arange(30))
    assert first.removed == pytest.approx(alone[1] - alone[0])


def test_a_deal_lever_is_open_only_until_its_deal_decides(content):
    """The quarters the lever verdicts judge a plan's funding on (doctrines.FUNDED_SHARE)."""
    from game.analysis.search import open_quarters

    world = build_world(content, "default")
    is_open = open_quarters(world)
    levers = world.index("lever")
    decides = int(world.arrays["deal_decides"][world.index("deal")["indonesia-openran"]])
    indonesia = is_open[:, levers["export-indonesia"]]
    assert indonesia[:decides + 1].all() and not indonesia[decides + 1:].any()
    assert is_open[:, levers["alliance-quad"]].all()  # founded in 2022, before the campaign
    assert not is_open[:, ~world.offered].any()  # what the scenario does not offer is never open
