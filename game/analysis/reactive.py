"""The `reactive` family of the balance search: lever weights as a function of the game's state.

Each quarter a reactive plan reads a small, fixed list of state FEATURES of its game (see `features`),
computes one logit per lever as a weighted sum of them (`logits = W @ features`, W a [levers × features]
matrix) and spends the quarter's real budget in proportion to `exp(logits)` over the levers it may fund
(`fill_budget`, so financing for a deal already decided gets nothing and a budget cut is respected). Event
answers are fixed, one per event, as in the static families. The policy has no randomness of its own:
a game's moves depend only on that game's own state, so a game plays the same alone or in any batch.

A found plan is exported as a small Python file that embeds its numbers and builds a `ReactivePolicy`;
`homegrown run --strategy plan-reactive.py:policy` and `homegrown sweep --strategy plan-reactive.py:policy`
replay exactly the games the search validated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from game.play.rules import ActionError, check_choices
from game.sim.metrics import Env
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies.base import StrategyError, fill_budget

if TYPE_CHECKING:
    from game.analysis.search import Found, Space

STATE_FEATURES = ("engineers", "tension", "threat", "approval", "incidents", "major_incidents", "elapsed",
                  "deals_soon", "budget", "reserve", "bias")
"""The features after the goal gaps, in order (see `features`)."""
INCIDENT_SCALE = 2.0
"""Incidents in the last quarter at which the `incidents` feature reaches 1."""
MAJOR_SCALE = 4.0
"""Major incidents so far at which the `major_incidents` feature reaches 1."""
DEAL_WINDOW, DEAL_SCALE = 2, 2.0
"""`deals_soon` counts open deals deciding this quarter or within the next DEAL_WINDOW, over DEAL_SCALE."""
RESERVE_SCALE = 4.0
"""Quarters of the scenario's budget in reserve at which the `reserve` feature reaches 1."""
LOGIT_CLIP = 30.0


def weights_and_share(logits: np.ndarray, free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lever weights [P,L], share of the budget spent [P]) from [P, L+1] logits: the last one weighs the
    money kept unspent (the reserve) against the levers', so a plan can save as well as spend. Shared by
    the static families of the search and by reactive plans."""
    w = np.where(free, np.exp(np.clip(logits[:, :-1], -LOGIT_CLIP, LOGIT_CLIP)), 0.0)
    keep = np.exp(np.clip(logits[:, -1], -LOGIT_CLIP, LOGIT_CLIP))
    total = w.sum(axis=1)
    return w, total / np.maximum(total + keep, 1e-300)


def feature_names(world: World) -> tuple[str, ...]:
    """The names of the features of a scenario: one `gap.GOAL` per goal, then STATE_FEATURES."""
    return (*(f"gap.{g.id}" for g in world.goals), *STATE_FEATURES)


def features(state: State, world: World) -> np.ndarray:
    """[B, F] the features of every game (columns as `feature_names`), each roughly in [-1, 1]:

    - `gap.GOAL`: for each scenario goal, how far the game still is from its target, in units of the
      goal's span (content's `span`, else the target's size or 1; the score's own distances are
      game.sim.scoring.goal_scale): (target - value) / span for an "at
      least" goal, (value - target) / span for an "at most" one, so positive means still short and
      negative means met with room to spare; clipped to [-1, 1].
    - `engineers`: engineers / the model's workforce.needed - 1, clipped to [-1, 1] (0: exactly enough).
    - `tension`, `threat`, `approval`: the 0-100 gauges / 100.
    - `incidents`: security incidents in the last quarter / INCIDENT_SCALE, at most 1.
    - `major_incidents`: major incidents so far / MAJOR_SCALE, at most 1.
    - `elapsed`: the share of the game played (turn / turns), 0 to 1.
    - `deals_soon`: export deals still open that are decided this quarter or within the next
      DEAL_WINDOW quarters, / DEAL_SCALE, at most 1.
    - `budget`: this quarter's change to the scenario's budget / that budget, clipped to [-1, 1] (negative
      after cuts).
    - `reserve`: the money kept from earlier quarters / RESERVE_SCALE quarters of budget, at most 1.
    - `bias`: the constant 1.

    Every column is computed row by row, so a game's features do not depend on the rest of its batch.
    """
    B = state.batch
    env = Env(state, world)
    columns: list[np.ndarray] = []
    for g in world.goals:
        value = np.broadcast_to(g.metric.evaluate(env), (B,)).astype(np.float64)
        short = (g.target - value) if g.op == ">=" else (value - g.target)
        columns.append(np.clip(short / g.span, -1.0, 1.0))
    arr = world.arrays
    soon = ((state.deal_status == 0) & (arr["deal_decides"] >= state.turn)
            & (arr["deal_decides"] <= state.turn + DEAL_WINDOW)).sum(axis=1)
    columns += [
        np.clip(state.engineers / world.model.workforce.needed - 1.0, -1.0, 1.0),
        state.tension / 100.0,
        state.threat / 100.0,
        state.approval / 100.0,
        np.minimum(state.incidents_last / INCIDENT_SCALE, 1.0),
        np.minimum(state.major_incidents / MAJOR_SCALE, 1.0),
        np.full(B, state.turn / world.turns),
        np.minimum(soon / DEAL_SCALE, 1.0),
        np.clip(state.budget_mod / world.scenario.budget, -1.0, 1.0),
        np.minimum(state.reserve / (RESERVE_SCALE * world.scenario.budget), 1.0),
        np.ones(B),
    ]
    return np.stack([np.asarray(c, dtype=np.float64) for c in columns], axis=1)


class ReactivePlay:
    """Plays reactive plans for a batch: game b weighs its levers by exp(weights[b] @ features(b)) over
    the `free` levers and answers events by choices[b] (a single row of either serves every game)."""

    name = "reactive"

    def __init__(self, weights: np.ndarray, free: np.ndarray, choices: np.ndarray, name: str = "reactive"):
        self.weights = np.asarray(weights, dtype=np.float64)
        """[N, L + 1, F] (N = the batch, or 1 for every game); the last row weighs the money kept."""
        self.free = np.asarray(free, dtype=bool)
        """bool[L] the levers the plan may fund."""
        self.choices = np.asarray(choices, dtype=np.int64)
        """int[N, E] the answer per event (-1: the default)."""
        self.name = name

    def allocations(self, state: State, world: World) -> np.ndarray:
        B = state.batch
        f = features(state, world)
        w = np.broadcast_to(self.weights, (B, *self.weights.shape[1:]))
        logits = (w * f[:, None, :]).sum(axis=2)  # an explicit per-row sum: the same bits for any batch
        weights, share = weights_and_share(logits, self.free)
        return fill_budget(weights, state, world, share)

    def act(self, state: State, world: World) -> Actions:
        choices = np.broadcast_to(self.choices, (state.batch, self.choices.shape[1])).copy()
        return Actions(self.allocations(state, world), choices)


class ReactivePolicy:
    """A reactive plan by content ids, as an exported file builds it (`from_data`); compiled for the
    scenario it plays. `check(world)` refuses a scenario whose levers, events or features differ."""

    def __init__(self, name: str, levers: Sequence[str], features: Sequence[str],
                 matrix: Sequence[Sequence[float]], answers: Mapping[str, str],
                 keep: Sequence[float] | None = None):
        self.name = name
        self.levers = tuple(levers)
        self.features = tuple(features)
        self.matrix = np.array(matrix, dtype=np.float64).reshape(len(self.levers), len(self.features))
        self.answers = dict(answers)
        self.keep = np.full(len(self.features), 0.0) if keep is None else np.array(keep, dtype=np.float64)
        """The row that weighs money kept unspent (none: a weight of 1 against the levers' exp(logits))."""
        if keep is None and "bias" in self.features:  # no row given: spend the whole budget
            self.keep[self.features.index("bias")] = -LOGIT_CLIP
        self._compiled: tuple[World, ReactivePlay] | None = None

    @classmethod
    def from_data(cls, name: str, levers: Sequence[str], features: Sequence[str],
                  matrix: Sequence[Sequence[float]], answers: Mapping[str, str],
                  keep: Sequence[float] | None = None) -> ReactivePolicy:
        """The policy from its numbers: one row of `matrix` per funded lever (in `levers` order), one column
        per feature (named as `feature_names`), the answer per event id, and the row for money kept."""
        if len(matrix) != len(levers) or any(len(row) != len(features) for row in matrix) \
                or (keep is not None and len(keep) != len(features)):
            raise StrategyError(f"reactive plan '{name}': the matrix must have one row per lever and one "
                                "column per feature (and so must `keep`)")
        return cls(name, levers, features, matrix, answers, keep)

    def check(self, world: World) -> None:
        expected = feature_names(world)
        if self.features != expected:
            raise StrategyError(f"reactive plan '{self.name}': made for the features {', '.join(self.features)}; "
                                f"scenario '{world.scenario.id}' has {', '.join(expected)}")
        lever_index = world.index("lever")
        for lever_id in self.levers:
            if lever_id not in lever_index:
                raise StrategyError(f"reactive plan '{self.name}': unknown lever '{lever_id}'")
            if not world.controllable[lever_index[lever_id]]:
                raise StrategyError(f"reactive plan '{self.name}': lever '{lever_id}' is not the player's to "
                                    f"set in scenario '{world.scenario.id}'")
        try:
            check_choices(world, world.event_ids, self.answers)
        except ActionError as exc:
            raise StrategyError(f"reactive plan '{self.name}': event {exc}") from None

    def compiled(self, world: World) -> ReactivePlay:
        if self._compiled is None or self._compiled[0] is not world:
            self.check(world)
            index = world.index("lever")
            rows = [index[lever_id] for lever_id in self.levers]
            weights = np.zeros((1, len(world.lever_ids) + 1, len(self.features)))
            weights[0, rows] = self.matrix
            weights[0, -1] = self.keep
            free = np.zeros(len(world.lever_ids), dtype=bool)
            free[rows] = True
            self._compiled = (world, ReactivePlay(weights, free, world.choice_vector(self.answers)[None],
                                                  self.name))
        return self._compiled[1]

    def act(self, state: State, world: World) -> Actions:
        return self.compiled(world).act(state, world)


class Reactive:
    """The search family: theta is W itself, [L, F] flattened lever-major (every lever has a row, only the
    free ones are played). The search starts from W = 0 (every free lever alike, as `fixed` does) with the
    same spread on every column: shrinking the non-bias columns' spread (0.05 or 0.2 of it) measured no
    better on the default scenario."""

    name = "reactive"

    def dim(self, space: Space) -> int:
        return (len(space.world.lever_ids) + 1) * len(feature_names(space.world))

    def matrices(self, theta: np.ndarray, space: Space) -> np.ndarray:
        """[P, L + 1, F] the weight matrices of P parameter vectors (the last row: money kept)."""
        L, F = len(space.world.lever_ids), len(feature_names(space.world))
        return np.asarray(theta, dtype=np.float64).reshape(-1, L + 1, F)

    def warm(self, fixed: Found, space: Space) -> np.ndarray:
        """A starting mean that plays like a found `fixed` plan: its weights on the `bias` column (the
        fixed family's theta is one log-weight per lever and one for money kept, as these rows)."""
        names = feature_names(space.world)
        W = np.zeros((len(space.world.lever_ids) + 1, len(names)))
        if fixed.family == "fixed":
            W[:, names.index("bias")] = fixed.theta
        return W.ravel()

    def strategy(self, theta: np.ndarray, choices: np.ndarray, space: Space, repeat: int) -> ReactivePlay:
        return ReactivePlay(np.repeat(self.matrices(theta, space), repeat, axis=0), space.free,
                            np.repeat(choices, repeat, axis=0))

    def export(self, theta: np.ndarray, choices: np.ndarray, space: Space, name: str) -> tuple[str, str]:
        return ".py", policy_source(self.matrices(theta[None], space)[0], choices, space, name)


def policy_source(matrix: np.ndarray, choices: np.ndarray, space: Space, name: str) -> str:
    """A reactive plan ([L, F] weights, [E] answers) as a Python file defining `policy`, with exact floats
    so that it replays to the same games."""
    world = space.world
    names = feature_names(world)
    free = np.flatnonzero(space.free)
    answers = {world.event_ids[e]: world.event(int(e)).choices[int(c)].id for e, c in enumerate(choices) if c >= 0}
    lines = [
        f'"""A reactive plan found by `homegrown search` ({name}).',
        "",
        "Replay it with `homegrown sweep --strategy THIS_FILE.py:policy` (or `homegrown run`). Each quarter",
        "every funded lever gets exp(row . features) of the budget's weight; the features are documented in",
        'game.analysis.reactive.features."""',
        "",
        "from game.analysis.reactive import ReactivePolicy",
        "",
        "policy = ReactivePolicy.from_data(",
        f"    name={name!r},",
        f"    levers={[world.lever_ids[i] for i in free]!r},",
        f"    features={list(names)!r},",
        "    matrix=[",
    ]
    for i in free:
        lines.append(f"        [{', '.join(repr(float(x)) for x in matrix[i])}],  # {world.lever_ids[i]}")
    lines += ["    ],", f"    answers={answers!r},", f"    keep=[{', '.join(repr(float(x)) for x in matrix[-1])}],",
              ")", ""]
    return "\n".join(lines)
