"""Events from content: which fire at the start of a quarter, and what the chosen answers do.

Events for turn t are drawn at the end of turn t-1 (or at the start of the game) from the state then, so
the player sees them, answers, and only then allocates the budget.
"""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.effects import Shifts, apply_effects, apply_table
from game.sim.ledger import Ledger
from game.sim.metrics import Env
from game.sim.rng import Purpose, uniform
from game.sim.rowwise import nonzero2
from game.sim.state import State
from game.sim.world import World


def draw_events(state: State, world: World, turn: int) -> np.ndarray:
    """bool[B,E]: events that fire at the start of `turn` (at most max_events_per_turn per game)."""
    arr, B, E = world.arrays, state.batch, len(world.event_ids)
    if E == 0:
        return np.zeros((B, 0), dtype=bool)
    static = arr["event_allowed"] & (arr["event_start"] <= turn) & (turn <= arr["event_end"])
    fire = np.zeros((B, E), dtype=bool)
    live = np.flatnonzero(static)  # the costly parts below run only for events that can fire this turn
    if live.size == 0:
        return fire
    # Cooled down: turn - last >= cooldown, as integers last <= turn - cooldown (one [B,E] pass, no copies);
    # the events that fire once also need never to have fired.
    ready = state.last_fired <= turn - np.maximum(arr["event_cooldown"], 1)
    once = arr["event_once"] & static
    if once.any():  # (whole rows: a fancy-indexed update over the once-only columns is several times slower)
        ready &= (state.fired == 0) | ~once
    eligible = ready[:, live]
    # A roll is in [0, 1): an event of probability 1 always passes it, so only the others draw one.
    chance = arr["event_probability"][live]
    rolled = np.flatnonzero(chance < 1.0)
    if rolled.size:
        roll = uniform(state.seed[:, None], turn, Purpose.EVENT, live[rolled][None, :])
        eligible[:, rolled] &= roll < chance[rolled]
    fire[:, live] = eligible
    env = Env(state if state.turn == turn else state.replace(turn=turn), world)
    # Each condition over the whole batch, for the events some game's roll passed: `env` shares its reads
    # across conditions, and picking out the rolled games cost more than it saved at every batch size
    # measured (64 to 10,000 games). A condition is elementwise: each game's answer is its own.
    for e in np.flatnonzero(arr["event_conditional"] & fire.any(axis=0)):
        fire[:, e] &= np.asarray(world.event_conditions[e].evaluate(env), dtype=bool)
    cap = world.scenario.max_events_per_turn or world.model.max_events_per_turn
    crowded = np.flatnonzero(fire.sum(axis=1) > cap)
    if crowded.size:
        # Keep `cap` of them, in an order drawn per game: the smallest draws, ties to the lower index (a
        # stable sort of the fired (game, event) pairs by game, then draw; only those pairs draw a number).
        game, event = nonzero2(fire[crowded])
        order = np.lexsort((uniform(state.seed[crowded][game], turn, Purpose.EVENT_ORDER, event), game))
        rank = np.arange(game.size) - np.searchsorted(game, game)  # of order's pairs (game is sorted)
        drop = order[rank >= cap]
        fire[crowded[game[drop]], event[drop]] = False
    return fire


def resolve_choices(world: World, pending: np.ndarray, choices: np.ndarray | None) -> np.ndarray:
    """int[B,E]: the choice taken for each pending event (-1 where none fired or it has no choices)."""
    arr = world.arrays
    out = np.full(pending.shape, -1, dtype=np.int64)
    # Only the (game, event) pairs that fired with choices: about one per game, not a [B,E] pass each.
    game, event = nonzero2(pending)
    has = arr["event_choices"][event] > 0
    game, event = game[has], event[has]
    if game.size:
        picked = (np.full(game.size, -1, dtype=np.int64) if choices is None
                  else np.broadcast_to(np.asarray(choices, dtype=np.int64), pending.shape)[game, event])
        valid = (picked >= 0) & (picked < arr["event_choices"][event])
        out[game, event] = np.where(valid, picked, arr["event_default"][event])
    return out


def apply_events(ledger: Ledger, world: World, pending: np.ndarray, chosen: np.ndarray, turn: int) -> None:
    """The effects of the events that fire and of the answers taken: their adds summed per game through
    the World's event table (one pass for the quarter), the other effects event by event in order."""
    a, table = ledger.arrays, world.event_table
    assert table is not None  # build_world compiles it
    choice_row = world.arrays["event_choice_row"]
    fired = np.flatnonzero(pending.any(axis=0))
    game, event = nonzero2(pending)  # (game, event) pairs, grouped by game
    if fired.size:
        # (game, row) pairs grouped by game: each event's own row, then its chosen answer's (if any)
        answer = chosen[game, event]
        if choice_row.shape[1]:
            answer = np.where(answer >= 0, choice_row[event, np.maximum(answer, 0)], -1)
        rows = np.stack([event, answer], axis=1).ravel()
        keep = rows >= 0
        apply_table(ledger, table, np.repeat(game, 2)[keep], rows[keep])
    shifts = Shifts(ledger)  # share shifts composed per region (flushed before any ban)
    for e in fired:
        cause = causes.event(world.event_ids[e])
        for c, row in enumerate((e, *choice_row[e])):  # the event's own row, then one per choice (c - 1)
            if row < 0 or not (table.rest[row] or (ledger.record and table.tabled[row])):
                continue
            mask = pending[:, e] if c == 0 else pending[:, e] & (chosen[:, e] == c - 1)
            if table.rest[row]:
                apply_effects(ledger, table.rest[row], mask.astype(np.float64), cause, shifts)
            if ledger.record:
                for effect in table.tabled[row]:
                    ledger.note(effect.array, cause, effect.amount * mask, effect.index)
    shifts.flush()
    # Replaced whole (step does not copy them): a copy, written only where an event fired.
    a["fired"] = a["fired"].copy()
    a["fired"][game, event] += 1
    a["last_fired"] = a["last_fired"].copy()
    a["last_fired"][game, event] = turn
