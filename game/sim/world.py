"""A World: one scenario of a content pack compiled into numpy constants and compiled expressions
(built by game.sim.compile). The simulation reads only the World and the State; content models are not
touched in the hot path."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from game.content.expr import Expr
from game.content.terms import quarter_index, quarter_name

if TYPE_CHECKING:
    from game.content.pack import Content
    from game.content.schema import Deal, Event, Lever, Model, Scenario
    from game.content.vocabulary import Family
    from game.sim.effects import EffectTable


@dataclass(frozen=True)
class CEffect:
    """A compiled effect: which array and index it touches and by how much."""

    kind: str
    array: str = ""
    index: tuple[int, ...] = ()
    amount: float = 0.0
    region: int = -1
    vendor: int = -1
    rip: float = 0.0


@dataclass(frozen=True)
class CGoal:
    id: str
    description: str
    metric: Expr
    op: str
    target: float
    weight: float
    span: float
    """Content's `span`, defaulted to the target's size (or 1): the unit of the reactive policies' gaps."""
    start: float = float("nan")
    """The metric on the scenario's initial state (the same for every seed; set by `build_world`)."""
    scale: float = float("nan")
    """The distance progress and bonus run over (game.sim.scoring.goal_scale; set by `build_world`)."""


@dataclass(frozen=True)
class World:
    content: Content
    """The pack; in a world `run` reads back from its cache, its items (and `scenario`) are
    game.content.plain records with the same fields, so one game never imports pydantic."""
    scenario: Scenario
    vendor_ids: tuple[str, ...]
    region_ids: tuple[str, ...]
    lever_ids: tuple[str, ...]
    deal_ids: tuple[str, ...]
    alliance_ids: tuple[str, ...]
    event_ids: tuple[str, ...]
    arrays: dict[str, np.ndarray] = field(repr=False)
    lever_effects: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    deal_won: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    deal_lost: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    alliance_effects: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    alliance_obligations: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    alliance_broken: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    event_conditions: tuple[Expr, ...] = field(repr=False)
    event_effects: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    choice_effects: tuple[tuple[tuple[CEffect, ...], ...], ...] = field(repr=False)
    initial_effects: tuple[CEffect, ...] = field(repr=False)
    goals: tuple[CGoal, ...] = field(repr=False)
    stakeholder_ids: tuple[str, ...] = ()
    stakeholder_effects: tuple[tuple[CEffect, ...], ...] = field(default=(), repr=False)
    event_table: EffectTable | None = field(default=None, repr=False)
    """The effects of events (rows 0..E-1) and of their choices (`arrays["event_choice_row"]`) compiled
    for game.sim.events (set by `build_world`)."""

    # ------------------------------------------------------------ convenience

    @property
    def model(self) -> Model:
        return self.content.model

    @property
    def turns(self) -> int:
        return self.scenario.turns

    @cached_property
    def start_index(self) -> int:
        return quarter_index(self.scenario.start)

    def quarter(self, turn: int) -> str:
        return quarter_name(self.start_index + turn)

    @cached_property
    def home(self) -> int:
        return self.region_ids.index(self.model.home_region)

    @cached_property
    def offered(self) -> np.ndarray:
        """bool[L]: levers the scenario shows (locked ones included)."""
        return self.arrays["lever_offered"]

    def available(self, turn: int) -> np.ndarray:
        """bool[L]: levers offered on `turn`: offered, and the programme behind it exists then (from its
        `since` to its `until`). The one place that decides when a lever may be funded."""
        return self.offered & (self.arrays["lever_since"] <= turn) & (turn <= self.arrays["lever_until"])

    def founded(self, turn: int) -> np.ndarray:
        """bool[A]: alliances that exist on `turn` (their `since`); the others have no standing."""
        return self.arrays["alliance_since"] <= turn

    def since(self, lever: int) -> str | None:
        """The quarter lever `lever` is first offered in, if it comes into being after the start."""
        first = int(self.arrays["lever_since"][lever])
        return self.quarter(first) if first > 0 else None

    def unavailable(self, lever: int, turn: int) -> str:
        """Why an offered lever takes no money on `turn` ('' when it does): not yet, or no longer."""
        if turn < int(self.arrays["lever_since"][lever]):
            return f"offered from {self.since(lever)}: it did not exist yet"
        last = int(self.arrays["lever_until"][lever])
        return f"offered until {self.quarter(last)}: it has ended" if turn > last else ""

    @cached_property
    def controllable(self) -> np.ndarray:
        """bool[L]: levers the player sets: offered and not locked at a fixed amount."""
        mask = self.offered & np.isnan(self.arrays["lever_locked"])
        mask.flags.writeable = False
        return mask

    def index(self, kind: str) -> dict[str, int]:
        """Content id -> position, for kind 'vendor', 'region', 'lever', 'deal', 'alliance', 'stakeholder' or
        'event'."""
        return self._indexes[kind]

    @cached_property
    def _indexes(self) -> dict[str, dict[str, int]]:
        ids = {"vendor": self.vendor_ids, "region": self.region_ids, "lever": self.lever_ids,
               "deal": self.deal_ids, "alliance": self.alliance_ids, "stakeholder": self.stakeholder_ids,
               "event": self.event_ids}
        return {kind: {x: i for i, x in enumerate(values)} for kind, values in ids.items()}

    @cached_property
    def reads(self) -> dict[str, tuple[Family, tuple[Any, ...]]]:
        """game.sim.metrics.Env's look-ups: each variable name read so far -> its family and index (a name
        is resolved once per world, not on every read of every quarter)."""
        return {}

    @cached_property
    def max_lag(self) -> int:
        return int(self.arrays["lever_lag"].max(initial=0))

    @cached_property
    def subsidised_regions(self) -> tuple[int, ...]:
        """Regions where some effect subsidises installs (a `prop`): the only ones `propped` can leave 0 in."""
        groups = (*self.lever_effects, *self.deal_won, *self.deal_lost, *self.alliance_effects,
                  *self.alliance_obligations, *self.alliance_broken, *self.event_effects,
                  *(effects for choices in self.choice_effects for effects in choices), self.initial_effects,
                  *self.stakeholder_effects)
        return tuple(sorted({e.region for effects in groups for e in effects if e.kind == "prop"}))

    @cached_property
    def events_touch_reserve(self) -> bool:
        """Whether an event or an answer changes the reserve: then a quarter's plan must be spent before its
        events (game.sim.step.open_quarter), as the rules order them, and cannot be shared after them."""
        groups = (*self.event_effects, *(effects for choices in self.choice_effects for effects in choices))
        return any(e.array == "reserve" for effects in groups for e in effects)

    @cached_property
    def lagged(self) -> np.ndarray:
        """int[L']: the levers with a lag, in order (the rows of State.pipeline)."""
        return np.flatnonzero(self.arrays["lever_lag"] > 0)

    def allocation_vector(self, allocations: dict[str, float]) -> np.ndarray:
        """[L] ¥ billions per lever from {lever id: amount}; ids this world lacks are ignored (callers
        that must refuse them, like Session, check first)."""
        alloc = np.zeros(len(self.lever_ids))
        for lever_id, amount in allocations.items():
            if lever_id in self.lever_ids:
                alloc[self.lever_ids.index(lever_id)] = float(amount)
        return alloc

    def choice_vector(self, choices: dict[str, str]) -> np.ndarray:
        """[E] the choice index per event from {event id: choice id}; -1 where none (or unknown)."""
        out = np.full(len(self.event_ids), -1, dtype=np.int64)
        for event_id, choice_id in choices.items():
            if event_id in self.event_ids:
                ids = [c.id for c in self.content.events[event_id].choices]
                if choice_id in ids:
                    out[self.event_ids.index(event_id)] = ids.index(choice_id)
        return out

    def lever(self, i: int) -> Lever:
        return self.content.levers[self.lever_ids[i]]

    def event(self, i: int) -> Event:
        return self.content.events[self.event_ids[i]]

    def deal(self, i: int) -> Deal:
        return self.content.deals[self.deal_ids[i]]
