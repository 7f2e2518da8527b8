"""Predict, then reveal: before ending a quarter the player may guess where one of the scenario's own goal
metrics will stand after it; the guess is kept in the save and scored against what the quarter did.

Scoring (one rule for the turn report, the end screen and the debrief): the error is measured against a
quarter's share of the goal's distance (game.sim.scoring.scales: the distance its progress runs over,
divided by the scenario's quarters). A guess within that much of the truth earns 100 − 100 × error /
tolerance points, so an exact guess earns 100 and one a whole quarter's share off (or further) earns 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.play.records import GameResult, Turn
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


class PredictionError(ValueError):
    """A prediction on something that is not a goal of the scenario, or not a number."""


def check(world: World, prediction: Prediction) -> Prediction:
    ids = [g.id for g in world.goals]
    if prediction.goal not in ids:
        raise PredictionError(f"'{prediction.goal}' is not a goal of this scenario (goals: {', '.join(ids)})")
    if prediction.guess != prediction.guess or abs(prediction.guess) == float("inf"):
        raise PredictionError("a prediction needs a number")
    return prediction


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
