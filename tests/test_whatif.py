"""What-if replays: changed allocations, every random draw kept, side-by-side comparison."""

from __future__ import annotations

import json
import random

import pytest
from _saves_support import PACK, SCENARIO, content, file_state, new_game

from game import storage as saves
from game.cli import main
from game.play.session import Session, TurnActions
from game.play.whatif import Change, WhatIfError, parse_change, what_if
from game.render.labels import PERCENT_METRICS
from game.render.whatif import _fmt_diff, format_what_if


def _game(turns=8, seed=21):
    return new_game(turns=turns, seed=seed, rng_seed=3)


def _free_lever(session, turn):
    """A lever unused at `turn`, and the room left in that quarter's budget."""
    played = session.log[turn].allocations
    budget = session.history[turn].budget
    lever = next(lv for lv in session.world.lever_ids if lv not in played)
    return lever, budget - sum(played.values())


def test_no_op_change_changes_nothing():
    session = _game()
    lever, amount = next(iter(session.log[2].allocations.items()), ("rnd-b5g", 0.0))
    w = what_if(content(), SCENARIO, session.seed, session.log, [Change(2, lever, amount)])
    assert w.diverged_at is None
    assert w.altered.state_hash == w.original.state_hash == session.state_hash
    assert "No difference" in format_what_if(w)


def test_change_diverges_from_that_turn_and_equals_a_fresh_replay():
    session = _game()
    lever, room = _free_lever(session, 3)
    amount = min(room, float(content().levers[lever].max), 3.0)
    if amount <= 0:  # make room by dropping the quarter's biggest lever
        biggest = max(session.log[3].allocations, key=session.log[3].allocations.get)
        changes = [Change(3, biggest, 0.0), Change(3, lever, 2.0)]
    else:
        changes = [Change(3, lever, amount)]
    w = what_if(content(), SCENARIO, session.seed, session.log, changes)
    assert w.diverged_at == 3 and w.first_change == 3
    for i in range(3):
        assert w.original.turns[i].after.hash(0) == w.altered.turns[i].after.hash(0)
    # the what-if is exactly the game replayed with the changed log: same seed, same draws
    log = list(session.log)
    alloc = dict(log[3].allocations)
    for c in changes:
        alloc.pop(c.lever, None) if c.amount == 0 else alloc.__setitem__(c.lever, c.amount)
    log[3] = TurnActions(alloc, log[3].choices)
    fresh = Session(content(), SCENARIO, session.seed)
    for actions in log:
        pending = {e.id for e in fresh.pending_events()}
        fresh.end_turn(TurnActions(actions.allocations, {k: v for k, v in actions.choices.items() if k in pending}))
    assert fresh.state_hash == w.altered.state_hash
    doc = w.to_json()
    assert doc["diverged_from"] == {"turn": 4, "quarter": session.world.quarter(3)}
    assert doc["difference"]["score"] == pytest.approx(doc["what_if"]["score"] - doc["original"]["score"])
    assert doc["timeline"][0]["quarter"] == session.world.quarter(3)
    json.dumps(doc)


def test_quarter_and_turn_number_are_the_same():
    session = _game()
    q = session.world.quarter(4)
    a = what_if(content(), SCENARIO, session.seed, session.log, [parse_change(f"{q}:rnd-security=0")])
    b = what_if(content(), SCENARIO, session.seed, session.log, [parse_change("5:rnd-security=0")])
    assert a.changes == b.changes and a.altered.state_hash == b.altered.state_hash


def test_overspending_is_an_error_naming_the_budget():
    session = _game()
    lever, others = session.world.lever_ids[0], session.world.lever_ids[1:]
    budget = session.history[0].budget
    log = [TurnActions({lv: budget / len(others) for lv in others}, session.log[0].choices), *session.log[1:]]
    with pytest.raises(WhatIfError, match=r"budget is ¥.*over\); lower other levers"):
        what_if(content(), SCENARIO, session.seed, log, [Change(0, lever, 1.0)])


@pytest.mark.parametrize("spec, message", [
    ("2027Q1-rnd-b5g-3", "not TURN:LEVER=AMOUNT"), ("2027Q1:rnd-b5g=lots!", "neither an amount"),
    ("2027Q1:rnd-b5g=-1", "0 or more"), ("2027Q1:rnd-b5g=nan", "0 or more"),
])
def test_bad_change_text(spec, message):
    with pytest.raises(WhatIfError, match=message):
        parse_change(spec)


@pytest.mark.parametrize("spec, message", [
    ("2027Q1:rnd-b5gg=1", "did you mean 'rnd-b5g'"), ("2040Q1:rnd-b5g=1", "not a turn of this game"),
    ("0:rnd-b5g=1", "not a turn"), ("99:rnd-b5g=1", "turns 1–8"), ("soon:rnd-b5g=1", "not a quarter"),
    ("2:rnd-b5g=500", "at most"), ("2027Q1:rnd-b5g=lots", "not a number"), ("3..2:rnd-b5g=1", "ends before"),
    ("2:no-such-thing=yes", "neither a lever nor an event"),
])
def test_bad_change_for_this_game(spec, message):
    session = _game()
    with pytest.raises(WhatIfError, match=message):
        what_if(content(), SCENARIO, session.seed, session.log, [parse_change(spec)])


def test_random_changes_never_crash():
    rng = random.Random(7)
    for seed in range(4):
        session = new_game(turns=rng.randint(1, 10), seed=seed, rng_seed=seed)
        turn = rng.randrange(len(session.log))
        lever = rng.choice(session.world.lever_ids)
        w = what_if(content(), SCENARIO, session.seed, session.log, [Change(turn, lever, 0.0)])
        assert w.original.state_hash == session.state_hash
        assert all(isinstance(n, str) for n in w.notes)
        format_what_if(w)


# ---------------------------------------------------------------- CLI


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("game.content.files.default_content_dir", lambda: PACK)
    monkeypatch.setenv("HOMEGROWN_SAVES", str(tmp_path))

    def run(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_cli_what_if_side_by_side(cli, tmp_path):
    session = _game()
    path = saves.save_session(session, "w", tmp_path).path
    before = file_state(path)
    q = session.world.quarter(2)
    lever = max(session.log[2].allocations, key=session.log[2].allocations.get)
    code, out, err = cli("replay", "w", "--what-if", f"{q}:{lever}=0", "--what-if", "4:rnd-b5g=0")
    assert code == 0, err
    assert "as played" in out and "what if" in out and "Score" in out and f"differ from {q}" in out
    code, out, _ = cli("replay", str(path), "--what-if", f"{q}:{lever}=0", "--json", "-")
    doc = json.loads(out)
    assert code == 0 and doc["first_change"]["quarter"] == q and set(doc) >= {
        "original", "what_if", "difference", "timeline", "diverged_from", "changes", "notes"}
    assert file_state(path) == before


def test_cli_what_if_errors_are_usage_errors(cli, tmp_path):
    session = _game()
    saves.save_session(session, "w", tmp_path)
    for spec in ["nonsense", "2:nope=1", "77:rnd-b5g=1", "2:rnd-b5g=-3"]:
        code, _out, err = cli("replay", "w", "--what-if", spec)
        assert code == 2 and err.startswith("error: --what-if") and err.count("\n") == 1, (spec, err)


def test_cli_what_if_overspend_exit_2(cli, tmp_path):
    session = Session(content(), SCENARIO, 3)
    full = dict.fromkeys(session.world.lever_ids[:int(session.budget // 2)], 2.0)
    session.end_turn(TurnActions(full))
    saves.save_session(session, "full", tmp_path)
    spare = next(lv for lv in session.world.lever_ids if lv not in full)
    code, _, err = cli("replay", "full", "--what-if", f"1:{spare}=2")
    assert code == 2 and "budget" in err and err.count("\n") == 1


def test_cli_what_if_on_a_broken_save_is_exit_1(cli, tmp_path):
    (tmp_path / "b.json").write_text("{}")
    code, _, err = cli("replay", "b", "--what-if", "1:rnd-b5g=1")
    assert code == 1 and "format_version" in err


def test_a_what_if_change_that_rounds_to_nothing_reads_as_none_and_minus_is_a_minus():
    share = next(iter(PERCENT_METRICS))
    assert _fmt_diff(share, -1e-6) == "·"  # -0.0001 pp: would print '-0.00 pp'
    assert _fmt_diff(share, -0.0123) == "−1.23 pp"
    assert _fmt_diff("score", 0.004) == "·" and _fmt_diff("score", -2.5) == "−2.50" and _fmt_diff("score", 2.5) == "+2.50"
