"""Events from content: which fire at the start of a quarter, and what the chosen answers do.

Events for turn t are drawn at the end of turn t-1 (or at the start of the game) from the state then, so
the player sees them, answers, and only then allocates the budget.
"""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.effects import apply_effects
from game.sim.ledger import Ledger
from game.sim.metrics import Env
from game.sim.rng import Purpose, uniform
from game.sim.state import State
from game.sim.world import World


def draw_events(state: State, world: World, turn: int) -> np.ndarray:
    """bool[B,E]: events that fire at the start of `turn` (at most max_events_per_turn per game)."""
    arr, B, E = world.arrays, state.batch, len(world.event_ids)
    if E == 0:
        return np.zeros((B, 0), dtype=bool)
    static = (arr["event_allowed"] & (arr["event_start"] <= turn) & (turn <= arr["event_end"]))
    eligible = static[None, :] & (~arr["event_once"][None, :] | (state.fired == 0)) \
        & ((turn - state.last_fired) >= np.maximum(arr["event_cooldown"], 1)[None, :])
    roll = uniform(state.seed[:, None], turn, Purpose.EVENT, np.arange(E)[None, :])
    fire = eligible & (roll < arr["event_probability"][None, :])
    env = Env(state.replace(turn=turn), world)
    # Conditions are the costly part: evaluate only those of events that could still fire somewhere.
    for e in np.flatnonzero(arr["event_conditional"] & fire.any(axis=0)):
        fire[:, e] &= np.broadcast_to(world.event_conditions[e].evaluate(env), (B,)).astype(bool)
    cap = world.scenario.max_events_per_turn or world.model.max_events_per_turn
    crowded = np.flatnonzero(fire.sum(axis=1) > cap)
    if crowded.size:  # keep `cap` of them, in an order drawn per game
        rows = fire[crowded]
        priority = np.where(rows, uniform(state.seed[crowded, None], turn, Purpose.EVENT_ORDER,
                                          np.arange(E)[None, :]), 2.0)
        rank = np.argsort(np.argsort(priority, axis=1, kind="stable"), axis=1, kind="stable")
        fire[crowded] = rows & (rank < cap)
    return fire


def resolve_choices(world: World, pending: np.ndarray, choices: np.ndarray | None) -> np.ndarray:
    """int[B,E]: the choice taken for each pending event (-1 where none fired or it has no choices)."""
    arr = world.arrays
    n = arr["event_choices"][None, :]
    picked = np.full(pending.shape, -1, dtype=np.int64) if choices is None else np.asarray(choices, dtype=np.int64)
    valid = (picked >= 0) & (picked < n)
    chosen = np.where(valid, picked, arr["event_default"][None, :])
    return np.where(pending & (n > 0), chosen, -1)


def apply_events(ledger: Ledger, world: World, pending: np.ndarray, chosen: np.ndarray, turn: int) -> None:
    a = ledger.arrays
    for e in np.flatnonzero(pending.any(axis=0)):
        cause = causes.event(world.event_ids[e])
        hit = pending[:, e]
        apply_effects(ledger, world.event_effects[e], hit.astype(np.float64), cause)
        picked = chosen[:, e]
        for c, effects in enumerate(world.choice_effects[e]):
            if effects:
                apply_effects(ledger, effects, (hit & (picked == c)).astype(np.float64), cause)
    a["fired"] += pending
    a["last_fired"] = np.where(pending, turn, a["last_fired"])
