"""Guesses typed in a goal's unit (game.play.predictions.from_text): what is a prediction and what is not."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content.loader import load_content
from game.play.predictions import MAX_GUESS, Prediction, PredictionError, check, from_text
from game.render.labels import goal_unit
from game.sim.compile import build_world

CONTENT = load_content()
TUTORIAL = build_world(CONTENT, "tutorial")
MONEY = next(((w, g.id) for w in (build_world(CONTENT, s) for s in sorted(CONTENT.scenarios))
              for g in w.goals if goal_unit(g.metric.source) == "¥B"), None)
"""A scenario with a goal counted in ¥B, and that goal (the content is being rebalanced: found, not named)."""


def test_a_guess_is_typed_in_the_goals_unit():
    assert from_text(TUTORIAL, "domestic-share", "1.8") == Prediction("domestic-share", 0.018)
    assert from_text(TUTORIAL, "domestic-share", " 1.8 % ") == Prediction("domestic-share", 0.018)
    assert from_text(TUTORIAL, "approval", "52.5") == Prediction("approval", 52.5)
    assert from_text(TUTORIAL, "approval", "−3") == Prediction("approval", -3.0)  # the minus the game prints
    assert MONEY is not None, "no scenario has a goal in ¥B any more: drop this part"
    world, goal = MONEY
    assert from_text(world, goal, "¥3.5B") == Prediction(goal, 3.5)
    assert from_text(world, goal, "3.5") == Prediction(goal, 3.5)


@pytest.mark.parametrize(("goal", "text", "why"), [
    ("domestic-share", "nan", "not a number"),
    ("domestic-share", "-inf", "not a number"),
    ("domestic-share", "0x10", "not a number"),
    ("domestic-share", "1_0", "not a number"),
    ("domestic-share", "1,5", "with a point"),
    ("domestic-share", "101", "between 0 % and 100 %"),
    ("domestic-share", "   ", "type a number in %"),
    ("approval", "1e400", "too large"),
    ("approval", "-2000000", "too large"),
    ("approval", "5\t", "control character"),
    ("nope", "1", "not a goal of this scenario"),
])
def test_what_is_not_a_prediction_says_why_in_one_line(goal, text, why):
    with pytest.raises(PredictionError, match=why) as err:
        from_text(TUTORIAL, goal, text)
    assert "\n" not in str(err.value) and str(err.value).isprintable()


def test_check_refuses_what_the_save_could_not_hold():
    for guess in (math.nan, math.inf, -math.inf):
        with pytest.raises(PredictionError):
            check(TUTORIAL, Prediction("approval", guess))
    with pytest.raises(PredictionError):
        check(TUTORIAL, Prediction("domestic-share", 1.5))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40), goal=st.sampled_from([g.id for g in TUTORIAL.goals]))
def test_any_text_is_a_checked_prediction_or_one_clear_error(text, goal):
    try:
        p = from_text(TUTORIAL, goal, text)
    except PredictionError as exc:
        assert str(exc).isprintable()
        return
    assert p.goal == goal and math.isfinite(p.guess) and abs(p.guess) <= MAX_GUESS
    assert check(TUTORIAL, p) == p


@settings(max_examples=200, deadline=None)
@given(value=st.floats(min_value=-MAX_GUESS, max_value=MAX_GUESS, allow_nan=False))
def test_a_number_written_out_comes_back(value):
    assert from_text(TUTORIAL, "approval", repr(value)).guess == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_the_debrief_shows_a_guess_in_the_unit_it_was_typed_in():
    from game.analysis.debrief.data import TurnRow
    from game.play.predictions import reveal
    from game.play.session import Session, TurnActions
    from game.render.debrief_view import prediction_text

    session = Session(CONTENT, "tutorial", 6)
    session.end_turn(TurnActions({}), prediction=from_text(TUTORIAL, "domestic-share", "1.8"))
    r = reveal(session.world, session.turns[0], session.predictions[0])
    row = TurnRow(1, r.quarter, {}, {}, [], r, 0.0)
    assert prediction_text(row).startswith("domestic-share: guessed 1.800 %, was ")
    assert prediction_text(row).endswith(f"({r.points:.0f} pts)")
