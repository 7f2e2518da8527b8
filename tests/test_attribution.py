"""game.sim.attribution, the debrief's why: the same numbers as before it moved to the core, and no way
for the report to name a cause the core never emits (a renamed cause once showed a student a phantom
cause worth −11 points while every test stayed green).

The fixture holds each cause's contributions to the goal metrics as the debrief computed them before
the move (game.analysis.debrief at 3642c44); regenerate it only for an intended change of the game,
with `python -m tests.test_attribution FILE`.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from _plan_support import HARD_LINE

import game.analysis
import game.render
from game.content.loader import load_content
from game.content.pack import Content
from game.play.session import Session
from game.sim import attribution, causes, drift, market
from game.sim.ledger import Ledger
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies import get_strategy
from game.strategies.base import Strategy, fill_budget

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "attribution" / "contributions.json"
GAMES = [  # (scenario, seed, strategy): every scenario, bans and rip-and-replace included
    ("exercise-procurement-2018", 2018, "fund_all"),
    ("exercise-procurement-2018", 2018, "scripted:hard-line"),
    ("exercise-procurement-2018", 2018, "subsidy_heavy"),
    ("default", 3, "fund_all"),
    ("default", 7, "random"),
    ("southeast-asia", 1, "fund_all"),
    ("exercise-southeast-asia", 23, "random"),
    ("history-2019", 5, "fund_all"),
    ("6g-race", 2, "fund_all"),
    ("tutorial", 4, "balanced"),
]
FIXED_KINDS = ("budget", "drift", "market", "security", "politics", "limits")
"""The kinds of the core's fixed causes: a string literal `kind:...` of these is a cause id spelled out."""


class FundAll:
    """Every usable lever funded equally (so every lever's causes appear); each event answered in turn
    with each of its choices."""

    name = "fund_all"

    def act(self, state: State, world: World) -> Actions:
        n = np.maximum(world.arrays["event_choices"], 1)
        choices = (state.turn + np.arange(len(world.event_ids))) % n
        allocations = fill_budget(np.ones((state.batch, len(world.lever_ids))), state, world)
        return Actions(allocations, np.broadcast_to(choices, (state.batch, choices.size)).copy())


def play(content: Content, scenario: str, seed: int, strategy: str, folder: Path) -> Session:
    bot: Strategy
    if strategy == "fund_all":
        bot = FundAll()
    elif strategy == "scripted:hard-line":
        script = folder / "hard-line.toml"
        script.write_text(HARD_LINE, encoding="utf-8")
        bot = get_strategy(f"scripted:{script}")
    else:
        bot = get_strategy(strategy)
    return Session(content, scenario, seed).play_with(bot)


def emitted(session: Session) -> set[str]:
    """The causes in a game's ledger."""
    return {c for turn in session.turns for c in turn.report.ledger}


def named_by_core(session: Session) -> set[str]:
    """The causes the core names in a game's turn reports: its ledger and the events that fired (an event
    that only bans changes no ledgered array, yet the debrief credits it with the share its ban frees)."""
    world = session.world
    fired = {causes.event(world.event_ids[e]) for turn in session.turns for e in turn.report.events[0].nonzero()[0]}
    return emitted(session) | fired


@pytest.fixture(scope="module")
def games(content: Content, tmp_path_factory: pytest.TempPathFactory) -> list[Session]:
    folder = tmp_path_factory.mktemp("scripts")
    return [play(content, *g, folder) for g in GAMES]


def as_lists(parts: dict[str, np.ndarray]) -> dict[str, list[float]]:
    return {c: [float(x) for x in v] for c, v in sorted(parts.items())}


# ---------------------------------------------------------------- the same numbers


def test_the_attribution_gives_the_debriefs_numbers_of_before_the_move(games):
    recorded = json.loads(FIXTURE.read_text(encoding="utf-8"))["games"]
    assert [(g["scenario"], g["seed"], g["strategy"]) for g in recorded] == GAMES
    for old, session in zip(recorded, games, strict=True):
        assert session.state_hash == old["state_hash"], "the game itself changed: not the attribution"
        world = session.world
        assert as_lists(attribution.cause_contributions(session.turns, world)) == old["contributions"]
        assert as_lists(attribution.cause_contributions(session.turns, world, market=False)) == old["direct"]


def test_the_market_credit_moves_shares_between_causes_without_creating_any(games):
    for session in games:
        for turn, entries in zip(session.turns, attribution.through_market(session.turns, session.world), strict=True):
            before = sum(d["shares"] for d in turn.report.ledger.values() if "shares" in d)
            after = sum(d["shares"] for d in entries.values() if "shares" in d)
            np.testing.assert_allclose(after, before, atol=1e-12)


# ---------------------------------------------------------------- no phantom causes


def _cause_like_literals(path: Path) -> list[str]:
    """String literals (and f-string heads) in a module that look like fixed cause ids."""
    pattern = re.compile(rf"^(?:{'|'.join(FIXED_KINDS)}):(?:\S|$)")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values[1:]}
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts
                and pattern.match(node.value)):
            found.append(node.value)
    return found


def test_the_report_spells_no_cause_id():
    """Causes are named through game.sim.causes, so a rename reaches every reader."""
    modules = [
        *Path(game.analysis.__file__).parent.rglob("*.py"),
        *Path(game.render.__file__).parent.rglob("*.py"),
        Path(attribution.__file__),
    ]
    assert any(p.name == "debrief_markdown.py" for p in modules)
    spelled = {str(p.relative_to(REPO)): _cause_like_literals(p) for p in modules}
    assert {p: s for p, s in spelled.items() if s} == {}


def test_the_pattern_catches_a_spelled_cause(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('A = "drift:campaigns fade"\nB = f"market:{k}"\nC = f"market: {k}"\nD = "limits"\n')
    assert _cause_like_literals(sample) == ["drift:campaigns fade", "market:"]


def _causes_attribution_names(world: World) -> set[str]:
    """Every cause id game.sim.attribution names: the causes constants it reads, the market components
    it credits, and its reversions."""
    tree = ast.parse(Path(attribution.__file__).read_text(encoding="utf-8"))
    constants = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "causes"
    }
    named = {getattr(causes, n) for n in constants if isinstance(getattr(causes, n), str)}
    named |= {causes.market(k) for k in attribution.MARKET_INPUTS}
    named |= {cause for cause, _ in attribution.reversions(world).values()}
    return named - set(causes.CONTENT_KINDS)


def test_every_cause_the_attribution_names_is_emitted_by_the_core(games):
    seen = set().union(*(emitted(s) for s in games))
    named = _causes_attribution_names(games[0].world)
    assert causes.CAMPAIGNS_FADE in named and causes.RIP_AND_REPLACE in named
    assert named <= seen, named - seen
    assert set(causes.AFTER_MARKET) <= {causes.kind(c) for c in seen}


def test_every_cause_the_core_emits_is_known(games):
    for session in games:
        content = session.world.content
        ids = {causes.LEVER: content.levers, causes.EVENT: content.events, causes.DEAL: content.deals,
               causes.ALLIANCE: content.alliances, causes.STAKEHOLDER: content.stakeholders}
        for cause in emitted(session):
            kind = causes.kind(cause)
            assert cause in causes.FIXED or (kind in ids and causes.key(cause) in ids[kind]), cause


def test_the_debrief_names_only_causes_the_core_emitted_in_that_game(games):
    for session in games:
        seen = named_by_core(session)
        assert set(attribution.cause_contributions(session.turns, session.world)) <= seen
        assert set(attribution.cause_contributions(session.turns, session.world, market=False)) <= seen
        assert {c for entries in attribution.through_market(session.turns, session.world) for c in entries} <= seen


def test_renaming_a_cause_renames_it_everywhere(content, monkeypatch, tmp_path):
    """The emitter (drift) and the reader (attribution) use one constant: a new name changes nothing but
    the name."""
    scenario, seed, strategy = GAMES[1]
    original = play(content, scenario, seed, strategy, tmp_path)
    before = attribution.cause_contributions(original.turns, original.world)
    renamed = "drift:campaigns wane"
    monkeypatch.setattr(causes, "CAMPAIGNS_FADE", renamed)
    session = play(content, scenario, seed, strategy, tmp_path)
    assert renamed in emitted(session) and "drift:campaigns fade" not in emitted(session)
    after = attribution.cause_contributions(session.turns, session.world)
    assert set(after) <= named_by_core(session)
    expected = {(renamed if c == "drift:campaigns fade" else c): v for c, v in before.items()}
    assert as_lists(after) == as_lists(expected)


# ---------------------------------------------------------------- what the attribution assumes of the core


def test_the_pipeline_order_is_the_steps(content, monkeypatch, tmp_path):
    """Causes of the kinds in causes.AFTER_MARKET are booked after the market moves shares, every other
    cause before: checked by watching the ledger when the step calls the market."""
    real = market.move_shares
    seen_by_market: list[set[str]] = []

    def watched(ledger: Ledger, world: World) -> None:
        seen_by_market.append(set(ledger.entries))
        real(ledger, world)

    monkeypatch.setattr(market, "move_shares", watched)
    for scenario, seed, strategy in GAMES[:4] + GAMES[-3:]:
        seen_by_market.clear()
        session = play(content, scenario, seed, strategy, tmp_path)
        assert len(seen_by_market) == len(session.turns)
        for early, turn in zip(seen_by_market, session.turns, strict=True):
            assert {c for c in early if causes.kind(c) in causes.AFTER_MARKET} == set()
            late = set(turn.report.ledger) - early
            assert {c for c in late if causes.kind(c) not in causes.AFTER_MARKET} == set(), late


def test_the_reversions_are_the_drifts(games):
    """attribution.reversions fades each cause's part at the rate drift pulls the whole back to the start:
    drift's change is rate × (start − value before it)."""
    for session in games:
        world = session.world
        starts = {"cost": world.arrays["cost0"], "trust": world.arrays["trust0"], "appeal": 0.0}
        for turn in session.turns[::3]:
            arrays = {k: v.copy() for k, v in turn.after.arrays().items()}
            ledger = Ledger(arrays, record=True)
            drift.drift(ledger, world)
            for name, (cause, rate) in attribution.reversions(world).items():
                change = ledger.entries[cause][name]
                was = arrays[name] - change  # nothing in drift touches these arrays after the reversion
                np.testing.assert_allclose(change, rate * (starts[name] - was), rtol=1e-12, atol=1e-15)


def test_the_core_attribution_does_not_import_play():
    tree = ast.parse(Path(attribution.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert all(m.startswith("game.sim") or not m.startswith("game") for m in imported), imported


# ---------------------------------------------------------------- regenerating the fixture


def _regenerate(path: Path) -> None:
    import tempfile

    content = load_content()
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for scenario, seed, strategy in GAMES:
            s = play(content, scenario, seed, strategy, Path(folder))
            out.append({
                "scenario": scenario, "seed": seed, "strategy": strategy, "turns": len(s.log),
                "state_hash": s.state_hash,
                "contributions": as_lists(attribution.cause_contributions(s.turns, s.world)),
                "direct": as_lists(attribution.cause_contributions(s.turns, s.world, market=False)),
            })
    doc = {"recorded_with": "python -m tests.test_attribution", "games": out}
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _regenerate(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE)
