"""What an event's answers do at once, exactly: each answer's compiled effects (game.sim.world) applied to
the current state as the quarter's step applies them, read back as before/after pairs. A "smaller budget
next quarter" is then "next quarter's budget −¥3B", a factor of 0.9 on tension is "45.0 → 40.5".

When two events come in one quarter, the second's consequences start from the state after the answer
given to the first. Pure: the state is copied, never changed. The later, uncertain consequences are the
sampled futures' (game.play.forecast.event_outlook, which plays the other answers too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from game.content.vocabulary import FAMILIES
from game.render.labels import METRIC_LABELS
from game.sim.events import apply_events
from game.sim.ledger import Ledger
from game.sim.state import State
from game.sim.world import World

NAMES = {
    "budget_mod": "next quarter's budget", "reserve": "reserve", "engineers": "engineers (thousands)",
    "tech": "technology", "cost": "price index", "trust": "trust", "dependence": "subsidy dependence",
    "rnd": "own R&D (¥B a quarter)", "rnd6g": "own 6G research (¥B a quarter)", "sixg": "6G research position",
    "market_size": "market (US$B a year)", "shares": "share", "appeal": "appeal", "banned": "banned",
    "propped": "subsidised share", "rip": "banned kit ripped out each quarter", "standing": "standing",
    "stance": "stance", "support": "financing behind the bid",
}
"""A state array's name in a consequence (game.sim.state); arrays not listed fall back to the metric's label."""
UNITS = {f.array: f.unit for f in FAMILIES if f.array and f.per is None} | {"rip": "share"}
DIMS = {f.array: f.dims for f in FAMILIES if f.array and f.per is None} | {"rip": ("region",)}
SHOWN = 5e-5
"""Changes smaller than this (in the array's own numbers; 0.005 pp of a share) are not listed."""


@dataclass(frozen=True)
class Change:
    """One number an answer changes at once."""

    what: str
    before: float
    after: float
    unit: str = ""
    """'money' (¥ billions), 'share' (0-1, shown in %) or '' (its own numbers); 'flag' for a ban."""

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Consequences:
    always: tuple[Change, ...]
    """The event's own effects, whatever the answer."""
    choices: tuple[tuple[Change, ...], ...]
    """Each answer's, on top of `always`, in the event's order."""
    irreversible: tuple[bool, ...]
    """Each answer: does it ban a vendor (no lever lifts a ban)?"""


def _what(world: World, array: str, index: tuple[int, ...]) -> str:
    name = NAMES.get(array) or METRIC_LABELS.get(array, array.replace("_", " ")).lower()
    c = world.content
    named = {"vendor": lambda i: c.vendors[world.vendor_ids[i]].name,
             "region": lambda i: c.regions[world.region_ids[i]].name,
             "alliance": lambda i: c.alliances[world.alliance_ids[i]].name,
             "stakeholder": lambda i: c.stakeholders[world.stakeholder_ids[i]].name,
             "deal": lambda i: c.deals[world.deal_ids[i]].name}
    parts = {dim: named[dim](i) for dim, i in zip(DIMS.get(array, ()), index, strict=True)}
    if "vendor" in parts:
        text = f"{parts['vendor']} {name}"
        return f"{text} in {parts['region']}" if "region" in parts else text
    if "region" in parts:
        return f"{parts['region']}: {name}"
    if parts:
        return f"{name}: {next(iter(parts.values()))}"
    return name


def _diff(world: World, before: dict[str, np.ndarray], after: dict[str, np.ndarray]) -> tuple[Change, ...]:
    out: list[Change] = []
    for array, new in after.items():
        old = before[array]
        if new.dtype == bool:
            for at in np.argwhere(new[0] != old[0]):
                index = tuple(int(i) for i in at)
                out.append(Change(_what(world, array, index), float(old[0][index]), float(new[0][index]), "flag"))
            continue
        if not np.issubdtype(new.dtype, np.floating):
            continue
        for at in np.argwhere(np.abs(new[0] - old[0]) > SHOWN):
            index = tuple(int(i) for i in at)
            out.append(Change(_what(world, array, index), float(old[0][index]), float(new[0][index]),
                              UNITS.get(array, "")))
    return tuple(sorted(out, key=lambda ch: ch.unit != "money"))  # money first: what the player plans with


def consequences(state: State, world: World, event_id: str,
                 answered: Mapping[str, str] | None = None) -> Consequences:
    """The immediate effects of `event_id` and of each of its answers on game 0 of `state`, as the step
    applies them: after the quarter's budget change is reset (so a change to `budget` reads as next
    quarter's) and after the answers already given to the quarter's other events (`answered`: event id ->
    choice id), before the levers, drift and the market move anything. The events go through the step's
    own `apply_events`, so their order and their table are the quarter's."""
    e = world.event_ids.index(event_id)
    single = state.game(0)
    base = {k: v.copy() for k, v in single.arrays().items()}
    base["budget_mod"] = np.zeros_like(base["budget_mod"])
    chosen = world.choice_vector({k: v for k, v in (answered or {}).items() if k != event_id})[None, :]
    others = single.pending & (chosen >= 0)

    def played(pending: np.ndarray, choice: int = -1) -> dict[str, np.ndarray]:
        out = {k: v.copy() for k, v in base.items()}
        picks = chosen.copy()
        picks[0, e] = choice
        apply_events(Ledger(out, record=False), world, pending, picks, single.turn)
        return out

    before = played(others)
    mine = others.copy()
    mine[0, e] = True
    after = played(mine)
    always = _diff(world, before, after)
    per_choice = tuple(_diff(world, after, played(mine, c)) for c in range(len(world.choice_effects[e])))
    irreversible = tuple(any(ef.kind == "ban" for ef in effects) for effects in world.choice_effects[e])
    return Consequences(always, per_choice, irreversible)
