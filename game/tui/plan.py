"""The player's spending plan for one quarter: amounts per lever, kept within the budget and each lever's max.

Pure (no Textual): the allocation panel edits a Plan; the tests check its rules directly. Its steps say,
in the player's words, why a key press did less than asked; what is legal is decided by the rules every
front end shares (game.play.rules.check_allocations, through `Plan.check`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.content.schema import CATEGORIES, Lever
from game.play.levers_info import deal_info
from game.play.rules import check_allocations
from game.sim.levers import fundable
from game.sim.state import State
from game.sim.world import World
from game.tui.widgets.charts import money

EPS = 1e-9


def _r(x: float) -> float:
    return round(float(x), 6)


@dataclass
class Plan:
    levers: list[Lever]
    """Offered levers (locked ones included), grouped by category (game.content.schema.CATEGORIES order),
    in content order within a category: the panel's order."""
    budget: float
    locked: dict[str, float] = field(default_factory=dict)
    amounts: dict[str, float] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)
    """Levers not offered this quarter (before their `since`, after their `until`) -> why (World.unavailable)."""
    deals: dict[str, str] = field(default_factory=dict)
    """Export-financing levers -> their deal in a line: deciding quarter, win chance now and prize, or how
    it was decided."""
    closed: set[str] = field(default_factory=set)
    """Levers whose deal is decided or not open: they take no money (game.sim.levers.fundable)."""
    committed: set[str] = field(default_factory=set)
    """Alliance levers whose pledge still binds Japan: going below it breaks the pledge, so a budget cut
    trims them last (Plan.rebudget)."""

    def __post_init__(self) -> None:
        for lever in self.levers:
            self.amounts.setdefault(lever.id, 0.0)
        for lever_id, amount in self.locked.items():
            self.amounts[lever_id] = float(amount)

    @classmethod
    def for_world(cls, world: World, budget: float, turn: int = 0, state: State | None = None) -> Plan:
        """An empty plan of the levers the scenario offers (world.offered, by category); those the
        player does not control (not world.controllable) stay at the scenario's locked amounts, and those
        not offered yet on `turn` wait (Plan.waiting)."""
        offered = np.flatnonzero(world.offered)
        locked = {world.lever_ids[i]: float(world.scenario.locked[world.lever_ids[i]])
                  for i in offered if not world.controllable[i]}
        levers = sorted((world.lever(int(i)) for i in offered), key=lambda lv: CATEGORIES.index(lv.category))
        plan = cls(levers, float(budget), locked)
        plan.advance(world, turn, state)
        return plan

    def advance(self, world: World, turn: int, state: State | None = None) -> None:
        """The levers offered on `turn`: those before their `since` or after their `until` hold nothing, and
        with the game's `state`, export financing shows its deal and holds nothing once the deal is closed."""
        available = world.available(turn)
        index = world.index("lever")
        self.waiting = {lv.id: world.unavailable(index[lv.id], turn) for lv in self.levers
                        if not available[index[lv.id]]}
        self.deals, self.closed, self.committed = {}, set(), set()
        if state is not None:
            fundable_now = fundable(state, world)[0]
            alliances = world.index("alliance")
            for lv in self.levers:
                if lv.alliance is not None and state.pledged[0, alliances[lv.alliance]] > 0:
                    self.committed.add(lv.id)
                if lv.deal is not None:
                    self.deals[lv.id] = deal_line(world, state, lv.deal)
                    if not fundable_now[index[lv.id]] and lv.id not in self.waiting:
                        self.closed.add(lv.id)
        for lever_id in (*self.waiting, *self.closed):
            self.amounts[lever_id] = 0.0

    def copy(self) -> Plan:
        return Plan(self.levers, self.budget, dict(self.locked), dict(self.amounts), dict(self.waiting),
                    dict(self.deals), set(self.closed), set(self.committed))

    @property
    def spent(self) -> float:
        return _r(sum(self.amounts.values()))

    @property
    def left(self) -> float:
        return _r(self.budget - self.spent)

    def is_locked(self, lever_id: str) -> bool:
        return lever_id in self.locked

    def change(self, lever: Lever, steps: int) -> str | None:
        """Add (or remove) `steps` of the lever's step. Returns why it could not, or not fully, be done."""
        if self.is_locked(lever.id):
            return f"{lever.name} is locked at {money(self.locked[lever.id])} in this scenario."
        if lever.id in self.waiting and steps > 0:
            return f"{lever.name} is {self.waiting[lever.id]}."
        if lever.id in self.closed and steps > 0:
            return f"{lever.name} takes no money now: {self.deals.get(lever.id, 'its deal is closed')}."
        current = self.amounts[lever.id]
        if steps < 0:
            if current <= EPS:
                return f"{lever.name} is already at ¥0B."
            self.amounts[lever.id] = _r(max(0.0, current + steps * lever.step))
            return None
        wanted = steps * lever.step
        room = lever.max - current
        if room <= EPS:
            return (f"{lever.name} is at its maximum of {money(lever.max)}: "
                    "it cannot absorb more in one quarter.")
        if self.left <= EPS:
            return (f"No budget left: all {money(self.budget)} is allocated. "
                    f"Take money from another lever first (← or −).")
        add = min(wanted, room, self.left)
        self.amounts[lever.id] = _r(current + add)
        if add < wanted - EPS:
            if add >= room - EPS:
                return f"{lever.name} capped at its maximum of {money(lever.max)}."
            return f"Only {money(_r(add))} was left in the budget: overspending is not possible."
        return None

    def clear(self, lever: Lever) -> str | None:
        if self.is_locked(lever.id):
            return f"{lever.name} is locked at {money(self.locked[lever.id])} in this scenario."
        self.amounts[lever.id] = 0.0
        return None

    def fill(self, lever: Lever) -> str | None:
        """As much as the lever and the budget allow."""
        if self.is_locked(lever.id):
            return f"{lever.name} is locked at {money(self.locked[lever.id])} in this scenario."
        steps = round((lever.max - self.amounts[lever.id]) / lever.step + 0.5)
        return self.change(lever, max(steps, 1))

    def rebudget(self, budget: float) -> str | None:
        """A new quarter's budget: keep the plan, trimming it from the last lever up if it no longer fits,
        committed pledges last (breaking one costs standing); the note names what was cut."""
        self.budget = float(budget)
        if self.left >= -EPS:
            return None
        order = [lv for lv in reversed(self.levers) if lv.id not in self.committed]
        order += [lv for lv in reversed(self.levers) if lv.id in self.committed]
        cuts: list[str] = []
        for lever in order:
            if self.left >= -EPS:
                break
            if self.is_locked(lever.id) or self.amounts[lever.id] <= EPS:
                continue
            cut = min(self.amounts[lever.id], -self.left)
            self.amounts[lever.id] = _r(self.amounts[lever.id] - cut)
            broken = " (a pledge still owed)" if lever.id in self.committed else ""
            cuts.append(f"{lever.name} −{money(cut)}{broken}")
        return f"The budget is now {money(self.budget)}: last quarter's plan was trimmed to fit ({'; '.join(cuts)})."

    def allocations(self) -> dict[str, float]:
        return {k: v for k, v in self.amounts.items() if v > EPS}

    def check(self, world: World, turn: int) -> dict[str, float]:
        """The plan's allocations if the rules allow them on `turn` (levers offered by then, each lever's
        max, the budget), else ActionError saying why: the rules of game.play.rules, as the session
        applies them."""
        allocations = self.allocations()
        check_allocations(world, allocations, self.budget, turn=turn)
        return allocations


def deal_line(world: World, state: State, deal_id: str) -> str:
    """One export deal for the player: when it is decided, the chance of winning it if decided now, and
    the prize; or how it went (game.play.levers_info.deal_info)."""
    return deal_info(world, state, deal_id).line
