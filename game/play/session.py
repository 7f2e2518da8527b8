"""One game in progress, for front ends that play turn by turn (the TUI, saves, what-if, scripted replays).

A Session is the batched core with B = 1 plus the action log: allocations and event choices per turn,
by id. Replaying the log from the same scenario, content and seed rebuilds the game bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.content.pack import Content
from game.content.schema import Event
from game.play.predictions import Prediction
from game.play.predictions import check as check_prediction
from game.play.records import GameResult, Turn, TurnSummary
from game.play.rules import ActionError, TurnActions, check_allocations, check_choices
from game.sim.compile import build_world
from game.sim.levers import fundable, legal_allocations
from game.sim.metrics import budget
from game.sim.state import State
from game.sim.step import Actions, initial_state, step
from game.sim.world import World
from game.strategies.base import Strategy

__all__ = ["ActionError", "Draft", "Session", "TurnActions"]


@dataclass(frozen=True)
class Draft:
    """The quarter being planned and not yet played: the plan, the answers given so far and the guess. Kept
    in saves so a loaded game reopens as it was left; never an action (end_turn plays what it is given)."""

    actions: TurnActions
    prediction: Prediction | None = None


class Session:
    def __init__(self, content: Content, scenario: str, seed: int):
        self.content = content
        self.world: World = build_world(content, scenario)
        self.scenario = scenario
        self.seed = int(seed)
        self.state: State = initial_state(self.world, [self.seed])
        self.log: list[TurnActions] = []
        self.history: list[TurnSummary] = []
        self.turns: list[Turn] = []
        self.predictions: dict[int, Prediction] = {}
        """Turn index -> the player's guess made before that quarter (game.play.predictions); not an action:
        it never changes the game."""
        self.hide_forecast = False
        """A classroom setting kept in the save: the forecast stays hidden until a prediction is made."""
        self.draft: Draft | None = None
        """This quarter's plan as the player left it (a front end sets it before saving; saves keep it)."""

    # ------------------------------------------------------------ reading

    @property
    def done(self) -> bool:
        return bool(self.state.done[0]) or self.state.turn >= self.world.turns

    @property
    def quarter(self) -> str:
        return self.world.quarter(min(self.state.turn, self.world.turns - 1))

    @property
    def budget(self) -> float:
        return float(budget(self.state, self.world)[0])

    def pending_events(self) -> list[Event]:
        """The content Events that fire at the start of this quarter."""
        return [self.world.event(int(e)) for e in np.flatnonzero(self.state.pending[0])]

    def result(self) -> GameResult:
        return GameResult.of(self.world, self.state)

    @property
    def state_hash(self) -> str:
        return self.state.hash(0)

    # ------------------------------------------------------------ playing

    def actions_for(self, turn_actions: TurnActions) -> Actions:
        """Translate ids to the core's arrays, refusing what the rules refuse (game.play.rules)."""
        alloc = check_allocations(self.world, turn_actions.allocations, self.budget, turn=self.state.turn)
        pending = [e.id for e in self.pending_events()]
        choices = check_choices(self.world, pending, turn_actions.choices)
        return Actions(alloc[None, :], choices[None, :])

    def end_turn(self, turn_actions: TurnActions, prediction: Prediction | None = None) -> TurnSummary:
        """Play this quarter; returns its summary (what changed and why). `prediction`, the player's guess
        for this quarter, is kept beside the log."""
        if self.done:
            raise ActionError("", "the game is over")
        actions = self.actions_for(turn_actions)
        if prediction is not None:
            self.predictions[len(self.log)] = check_prediction(self.world, prediction)
        before = self.state
        after, report = step(before, actions, self.world, record=True)
        turn = Turn(before, after, report)
        summary = TurnSummary.of(turn, self.world)
        self.state = after
        self.log.append(turn_actions)
        self.history.append(summary)
        self.turns.append(turn)
        return summary

    def play_with(self, strategy: Strategy, turns: int | None = None) -> Session:
        """Play on with a strategy (to the end, or `turns` quarters). Its moves enter the action log by
        id: the allocations the rules allow (what the core would spend) and the answer taken for each
        event, so a bot's game can be saved and replayed like a player's."""
        world, played = self.world, 0
        while not self.done and (turns is None or played < turns):
            actions = strategy.act(self.state, world)
            spent, _ = legal_allocations(actions.allocations, np.array([self.budget]), fundable(self.state, world), world)
            allocations = {lid: float(spent[0, i]) for i, lid in enumerate(world.lever_ids) if spent[0, i] > 0}
            choices = {}
            for event in self.pending_events():
                if event.choices:
                    e = world.index("event")[event.id]
                    picked = -1 if actions.choices is None else int(actions.choices[0, e])
                    index = picked if 0 <= picked < len(event.choices) else event.default
                    choices[event.id] = event.choices[index].id
            self.end_turn(TurnActions(allocations, choices))
            played += 1
        return self

    @classmethod
    def replay(cls, content: Content, scenario: str, seed: int, log: list[TurnActions]) -> Session:
        session = cls(content, scenario, seed)
        for turn_actions in log:
            session.end_turn(turn_actions)
        return session
