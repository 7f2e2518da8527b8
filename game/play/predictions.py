"""Predict, then reveal: before ending a quarter the player may guess where one of the scenario's own goal
metrics will stand after it; the guess is kept in the save and scored against what the quarter did.

Scoring (one rule for the turn report, the end screen and the debrief): the error is measured against a
quarter's share of the goal's distance (game.sim.scoring.scales: the distance its progress runs over,
divided by the scenario's quarters). A guess within that much of the truth earns 100 − 100 × error /
tolerance points, so an exact guess earns 100 and one a whole quarter's share off (or further) earns 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from game.play.records import GameResult, Turn
from game.render.labels import goal_unit, goal_value, unit_scale
from game.sim.scoring import scales
from game.sim.world import World


@dataclass(frozen=True)
class Prediction:
    """A guess made before a quarter was played: the goal (by id) and the metric's value after it."""

    goal: str
    guess: float


@dataclass(frozen=True)
class Reveal:
    """A prediction next to what happened."""

    quarter: str
    goal: str
    description: str
    metric: str
    guess: float
    actual: float
    before: float
    tolerance: float
    points: float


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
"""A plain decimal number (no 'nan', 'inf', '1_000' or hexadecimal, which Python's float() would take)."""


class PredictionError(ValueError):
    """A prediction on something that is not a goal of the scenario, or not a number (the message is one
    line a player can act on)."""


MAX_GUESS = 1e6
"""No goal's metric comes near this (in its own unit): a bigger guess is a typing slip."""


def _limits(metric: str) -> tuple[float, float]:
    """The guesses allowed on a metric, in its own number: a share (game.render.labels.goal_unit '%')
    between 0 and 100 %, anything else within ±MAX_GUESS of its unit."""
    if goal_unit(metric) == "%":
        return 0.0, 1.0
    bound = MAX_GUESS / unit_scale(metric)
    return -bound, bound


def check(world: World, prediction: Prediction) -> Prediction:
    ids = [g.id for g in world.goals]
    if prediction.goal not in ids:
        raise PredictionError(f"'{prediction.goal}' is not a goal of this scenario (goals: {', '.join(ids)})")
    guess = prediction.guess
    if not isinstance(guess, int | float) or isinstance(guess, bool) or guess != guess \
            or abs(guess) == float("inf"):
        raise PredictionError("a prediction needs a number")
    metric = world.goals[ids.index(prediction.goal)].metric.source
    low, high = _limits(metric)
    if not low <= guess <= high:
        raise PredictionError(f"a prediction on this goal is between {goal_value(metric, low, 0)} and "
                              f"{goal_value(metric, high, 0)}")
    return prediction


def from_text(world: World, goal: str, text: str) -> Prediction:
    """A guess typed by the player in the goal's unit (as the game shows it: '1.8' or '1.8 %' for a share,
    '3.5' or '¥3.5B' for money) as a checked Prediction; PredictionError (one line) if it is not one."""
    if any(not ch.isprintable() for ch in text):
        raise PredictionError("only digits, a point and a sign, please (the text has a control character)")
    ids = [g.id for g in world.goals]
    if goal not in ids:
        raise PredictionError(f"'{goal}' is not a goal of this scenario (goals: {', '.join(ids)})")
    metric = world.goals[ids.index(goal)].metric.source
    unit = goal_unit(metric)
    body = text.strip().replace("\u2212", "-")  # the minus sign the game prints
    if unit == "%":
        body = body.removesuffix("%").strip()
    elif unit == "¥B":
        body = body.removeprefix("¥").removesuffix("B").strip()
    if not body:
        raise PredictionError("type a number" + (f" in {unit}" if unit else ""))
    typed = text.strip() if len(text.strip()) <= 24 else text.strip()[:23] + "…"
    if "," in body:
        raise PredictionError(f"'{typed}' is not a number (write decimals with a point: 1.5)")
    if not _NUMBER.fullmatch(body):
        raise PredictionError(f"'{typed}' is not a number" + (f" (type it in {unit})" if unit else ""))
    value = float(body)
    if abs(value) > MAX_GUESS:
        raise PredictionError(f"that number is too large (at most {MAX_GUESS:,.0f})")
    # rounded: 1.8 % is kept as 0.018, not 0.018000000000000002
    return check(world, Prediction(goal, round(value / unit_scale(metric), 12)))


def tolerance(world: World, goal: str) -> float:
    i = [g.id for g in world.goals].index(goal)
    return float(scales(world)[i]) / max(world.turns, 1)


def reveal(world: World, turn: Turn, prediction: Prediction) -> Reveal:
    """Score a prediction against the quarter it was made for."""
    after = {g.id: g for g in GameResult.of(world, turn.after).goals}
    before = {g.id: g for g in GameResult.of(world, turn.before).goals}
    g = after[prediction.goal]
    tol = tolerance(world, prediction.goal)
    error = abs(prediction.guess - g.value)
    points = 100.0 * max(0.0, 1.0 - error / tol) if tol > 0 else (100.0 if error == 0 else 0.0)
    return Reveal(turn.report.quarter, g.id, g.description, g.metric, prediction.guess, g.value,
                  before[prediction.goal].value, tol, points)


def reveals(world: World, turns: list[Turn], predictions: dict[int, Prediction]) -> list[Reveal]:
    """Every prediction of a game whose quarter has been played, in turn order."""
    return [reveal(world, turns[t], p) for t, p in sorted(predictions.items()) if t < len(turns)]


def mean_points(items: list[Reveal]) -> float | None:
    return sum(r.points for r in items) / len(items) if items else None
