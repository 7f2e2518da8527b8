"""Playing whole games: one loop for one game (headless run) and for thousands (sweeps)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from numpy.typing import ArrayLike

from game.play.records import Turn
from game.sim.state import State
from game.sim.step import initial_state, step
from game.sim.world import World
from game.strategies.base import Strategy


def turns(world: World, seeds: ArrayLike, strategy: Strategy, record: bool = False, state: State | None = None
          ) -> Iterator[Turn]:
    """Yield every turn of the games started from `seeds` (or continued from `state`) until all are over."""
    state = initial_state(world, seeds) if state is None else state
    while state.turn < world.turns and not state.done.all():
        after, report = step(state, strategy.act(state, world), world, record=record)
        yield Turn(state, after, report)
        state = after


def play(world: World, seeds: ArrayLike, strategy: Strategy, record: bool = False,
         on_turn: Callable[[Turn], None] | None = None) -> State:
    """Play to the end and return the final state (`on_turn` sees each turn as it is played)."""
    final = initial_state(world, seeds)
    for turn in turns(world, seeds, strategy, record, state=final):
        if on_turn is not None:
            on_turn(turn)
        final = turn.after
    return final
