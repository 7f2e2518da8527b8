"""One game in progress, for front ends that play turn by turn (the TUI, saves, scripted replays).

A Session is the batched core with B = 1 plus the action log: allocations and event choices per turn,
by id. Replaying the log from the same scenario, content and seed rebuilds the game bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.play.headless import result, turn_entry
from game.content.loader import Content
from game.play.runner import Turn
from game.sim.metrics import budget
from game.sim.state import State
from game.sim.step import Actions, initial_state, step
from game.sim.world import World, build_world


class ActionError(ValueError):
    """An action that names an unknown lever, event or choice, or spends more than the budget."""


@dataclass(frozen=True)
class TurnActions:
    """What the player decided in one quarter, by id (the unit of the action log)."""

    allocations: dict[str, float] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"allocations": dict(self.allocations), "choices": dict(self.choices)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> TurnActions:
        return TurnActions({k: float(v) for k, v in data.get("allocations", {}).items()},
                           {k: str(v) for k, v in data.get("choices", {}).items()})


class Session:
    def __init__(self, content: Content, scenario: str, seed: int):
        self.content = content
        self.world: World = build_world(content, scenario)
        self.scenario = scenario
        self.seed = int(seed)
        self.state: State = initial_state(self.world, [self.seed])
        self.log: list[TurnActions] = []
        self.history: list[dict[str, Any]] = []
        self.turns: list[Turn] = []

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

    def pending_events(self) -> list:
        """The content Events that fire at the start of this quarter."""
        return [self.world.event(e) for e in np.flatnonzero(self.state.pending[0])]

    def result(self) -> dict[str, Any]:
        return result(self.world, self.state)

    @property
    def state_hash(self) -> str:
        return self.state.hash(0)

    # ------------------------------------------------------------ playing

    def actions_for(self, turn_actions: TurnActions) -> Actions:
        """Translate ids to the core's arrays, refusing unknown ids and overspending."""
        w = self.world
        for lever_id, amount in turn_actions.allocations.items():
            if lever_id not in w.lever_ids:
                raise ActionError(f"unknown lever '{lever_id}'")
            if not np.isfinite(amount) or amount < 0:
                raise ActionError(f"allocation to '{lever_id}' must be 0 or more, not {amount}")
        alloc = w.allocation_vector(turn_actions.allocations)
        total = float(alloc.sum())
        if total > self.budget + 1e-9:
            raise ActionError(f"allocations total ¥{total:g}B, more than this quarter's budget of ¥{self.budget:g}B")
        pending = {e.id for e in self.pending_events()}
        for event_id, choice_id in turn_actions.choices.items():
            if event_id not in pending:
                raise ActionError(f"event '{event_id}' is not pending this quarter")
            ids = [c.id for c in w.content.events[event_id].choices]
            if choice_id not in ids:
                raise ActionError(f"event '{event_id}' has no choice '{choice_id}' (choices: {', '.join(ids)})")
        return Actions(alloc[None, :], w.choice_vector(turn_actions.choices)[None, :])

    def end_turn(self, turn_actions: TurnActions) -> dict[str, Any]:
        """Play this quarter; returns its history entry (what changed and why)."""
        if self.done:
            raise ActionError("the game is over")
        actions = self.actions_for(turn_actions)
        before = self.state
        after, report = step(before, actions, self.world, record=True)
        turn = Turn(before, after, report)
        entry = turn_entry(turn, self.world)
        self.state = after
        self.log.append(turn_actions)
        self.history.append(entry)
        self.turns.append(turn)
        return entry

    def play_with(self, strategy, turns: int | None = None) -> Session:
        """Play on with a strategy (to the end, or `turns` quarters). Its moves enter the action log by
        id: the allocations the rules allow (what the core would spend) and the answer taken for each
        event, so a bot's game can be saved and replayed like a player's."""
        from game.sim.levers import legal_allocations

        world, played = self.world, 0
        while not self.done and (turns is None or played < turns):
            actions = strategy.act(self.state, world)
            spent, _ = legal_allocations(actions.allocations, np.array([self.budget]), world)
            allocations = {lid: float(spent[0, i]) for i, lid in enumerate(world.lever_ids) if spent[0, i] > 0}
            choices = {}
            for event in self.pending_events():
                if event.choices:
                    e = world.event_ids.index(event.id)
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
