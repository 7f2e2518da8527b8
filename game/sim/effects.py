"""Applying compiled content effects to a batch, each game scaled by its own factor.

`scale` is [B]: 1 where an event applies and 0 where it does not, or the effective ¥ billions a lever
delivers. Every numeric change goes through the ledger with `cause`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.sim.ledger import Ledger
from game.sim.rowwise import row_sum
from game.sim.world import CEffect


def shift_shares(shares: np.ndarray, vendor: int, amount: np.ndarray) -> np.ndarray:
    """The change that moves `amount` (fraction of the market, [B], -1..1) to `vendor` from the others
    in proportion (or away from it when negative). Each region still sums to 1."""
    if shares.shape[1] < 2:
        return np.zeros_like(shares)  # a one-vendor market: nobody to move share to or from
    s_v = shares[:, vendor]
    amount = np.clip(amount, -1.0, 1.0)
    new_v = np.where(amount >= 0, s_v + amount * (1 - s_v), s_v * (1 + amount))
    rest = 1 - s_v
    factor = np.where(rest > 1e-12, (1 - new_v) / np.where(rest > 1e-12, rest, 1.0), 0.0)
    new = shares * factor[:, None]
    # A vendor holding the whole market gives share away: there is no proportion to follow, so the others
    # share it equally (without this the region would no longer sum to 1).
    alone = rest <= 1e-12
    if alone.any():
        new = np.where(alone[:, None], ((1 - new_v) / (shares.shape[1] - 1))[:, None], new)
    new[:, vendor] = new_v
    # `1 - s_v` keeps few digits when the vendor holds nearly all the market: where the region drifts, the
    # others are scaled by their own sum instead (elsewhere the bits stay those of the formula above)
    drift = np.abs(row_sum(new) - row_sum(shares)) > 1e-13
    if drift.any():
        others = np.delete(shares, vendor, axis=1).sum(axis=1)
        rescale = drift & (others > 0)
        scaled = shares * ((1 - new_v) / np.where(rescale, others, 1.0))[:, None]
        new = np.where(rescale[:, None], scaled, new)
        new[:, vendor] = new_v
    return new - shares


def apply_effects(ledger: Ledger, effects: tuple[CEffect, ...], scale: np.ndarray, cause: str,
                  shifts: Shifts | None = None) -> None:
    """Apply `effects` scaled per game. With `shifts`, share shifts are queued there (applied when it is
    flushed, or before any later effect that touches the market's arrays) instead of one by one."""
    if not effects:
        return
    a = ledger.arrays
    active = scale != 0
    if not active.any():
        return
    for e in effects:
        if shifts is not None and e.kind not in ("shift", "prop") and (e.kind in ("ban", "unban")
                                                                     or e.array in _SEQUENTIAL_ARRAYS):
            shifts.flush()  # it reads or writes what the queued shifts change: they come first
        if e.kind == "add":
            ledger.add(e.array, cause, e.amount * scale, e.index)
        elif e.kind in ("mul", "set"):
            where: tuple[Any, ...] = (slice(None), *e.index)
            current = a[e.array][where]
            goal = current * e.amount if e.kind == "mul" else np.full_like(current, e.amount)
            ledger.add(e.array, cause, np.where(active, goal - current, 0.0), e.index)
        elif e.kind in ("shift", "prop"):
            if e.amount == 0.0:
                continue  # (a withdrawn vendor's subsidy: compile has zeroed it)
            blocked = a["banned"][:, e.region, e.vendor] & (e.amount > 0)
            amount = np.where(blocked, 0.0, e.amount * scale)
            if shifts is not None:
                shifts.queue(e.region, e.vendor, amount, cause, e.kind == "prop")
            else:
                region = a["shares"][:, e.region, :]
                change = shift_shares(region, e.vendor, amount)
                ledger.add("shares", cause, change, (e.region,))
                if e.kind == "prop":  # remembered, so that it is re-contracted as the subsidy fades
                    a["propped"][:, e.region, e.vendor] += change[:, e.vendor]
        elif e.kind == "ban":
            a["banned"][:, e.region, e.vendor] |= active
            a["rip"][:, e.region] = np.where(active, np.maximum(a["rip"][:, e.region], e.rip), a["rip"][:, e.region])
        elif e.kind == "unban":
            a["banned"][:, e.region, e.vendor] &= ~active


@dataclass(frozen=True)
class _Shift:
    vendor: int
    amount: np.ndarray  # [B]
    cause: str
    prop: bool


class Shifts:
    """Share shifts queued in order and applied per region as one composite map.

    A shift scales every other vendor of its region by one factor β = (1 − new)/(1 − s_v) and sets the
    vendor's own share to `new`, so any sequence of them keeps the form c·s + Σ_j g_j·e_j (one scalar c
    per game and one term per shifted vendor): a quarter's shifts in a region cost a few [B] operations
    each and one [B,V] write, instead of a [B,V] pass per shift. The same map as `shift_shares` applied in
    turn, in other floating-point order; games where a step leaves that form (a vendor holding the whole
    region) or the region's sum drifts take `shift_shares` itself, game by game."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.regions: dict[int, list[_Shift]] = {}

    def queue(self, region: int, vendor: int, amount: np.ndarray, cause: str, prop: bool) -> None:
        self.regions.setdefault(region, []).append(_Shift(vendor, amount, cause, prop))

    def flush(self) -> None:
        for region, steps in self.regions.items():
            self._apply(region, steps)
        self.regions = {}

    def _apply(self, region: int, steps: list[_Shift]) -> None:
        a, ledger = self.ledger.arrays, self.ledger
        s0 = a["shares"][:, region, :]
        if s0.shape[1] < 2:
            return  # a one-vendor market: nobody to move share to or from
        c = np.ones(s0.shape[0])
        g: dict[int, np.ndarray] = {}
        moved = []  # each step's change of its own vendor's share
        exact = np.zeros(s0.shape[0], dtype=bool)  # games that need shift_shares itself
        for step in steps:
            v = step.vendor
            s_v = c * s0[:, v] + g[v] if v in g else c * s0[:, v]
            amount = np.clip(step.amount, -1.0, 1.0)
            new_v = np.where(amount >= 0, s_v + amount * (1 - s_v), s_v * (1 + amount))
            rest = 1 - s_v
            fine = rest > 1e-12
            exact |= ~fine & (amount != 0)
            beta = (1 - new_v) / np.where(fine, rest, 1.0)
            # (a game whose amount is 0 keeps its bits exactly: beta is 1 and the change 0, as in shift_shares)
            change = new_v - s_v
            g[v] = g.get(v, 0.0) + change + c * (1 - beta) * s0[:, v]
            c = c * beta
            for j in g:
                if j != v:
                    g[j] = g[j] * beta
            moved.append(change)
        new = s0 * c[:, None]
        for j, term in g.items():
            new[:, j] += term
        exact |= np.abs(row_sum(new) - row_sum(s0)) > 1e-13
        if exact.any() or ledger.record:
            rows = np.flatnonzero(exact) if not ledger.record else np.arange(s0.shape[0])
            shares, changes = s0[rows], []
            for step in steps:
                amount = step.amount[rows]
                changes.append(np.where((amount != 0)[:, None], shift_shares(shares, step.vendor, amount), 0.0))
                shares = shares + changes[-1]
            fix = exact[rows]
            new[rows[fix]] = shares[fix]
            for k, step in enumerate(steps):
                moved[k][rows[fix]] = changes[k][fix, step.vendor]
                if ledger.record:
                    ledger.note("shares", step.cause, changes[k], (region,))
        a["shares"][:, region, :] = new
        for step, change in zip(steps, moved, strict=True):
            if step.prop:  # remembered, so that it is re-contracted as the subsidy fades
                a["propped"][:, region, step.vendor] += change


# Arrays that effects other than `add` read or write (shifts, bans, subsidies): never summed in a table.
_SEQUENTIAL_ARRAYS = frozenset({"shares", "propped", "banned", "rip"})


@dataclass(frozen=True)
class EffectTable:
    """Rows of effects (an event's, a choice's) with their additive part compiled into a sparse table, so
    that a quarter sums each game's rows per slot and adds the totals once per target array, instead of
    applying every row's effects one by one across the batch. Adds commute with one another, and a tabled
    add's slot is touched by no `mul` or `set` of any row, so only the order of summation differs from
    applying them in turn."""

    row_start: np.ndarray
    """int[X+1]: row x's entries are entry_slot/entry_amount[row_start[x]:row_start[x + 1]]."""
    entry_slot: np.ndarray  # int[N] the slot (a column of `targets`) each entry adds to
    entry_amount: np.ndarray  # [N]
    slots: int
    targets: tuple[tuple[str, slice], ...]
    """(state array, its slots: every position of one game's array, flattened in order)."""
    tabled: tuple[tuple[CEffect, ...], ...]
    """Per row, the effects in the table (the ledger notes them by cause when recording)."""
    rest: tuple[tuple[CEffect, ...], ...]
    """Per row, the effects still applied one by one, in content order."""


def compile_table(rows: Sequence[tuple[CEffect, ...]], shapes: dict[str, tuple[int, ...]]) -> EffectTable:
    """The table of `rows`; `shapes` gives each state array's per-game shape (and so its flat positions)."""
    untabled = {(e.array, e.index) for row in rows for e in row if e.kind in ("mul", "set")}

    def in_table(e: CEffect) -> bool:
        return (e.kind == "add" and e.array not in _SEQUENTIAL_ARRAYS and (e.array, e.index) not in untabled
                and e.array in shapes)

    def slot(e: CEffect) -> tuple[str, int]:
        return e.array, int(np.ravel_multi_index(e.index, shapes[e.array])) if e.index else 0

    # Every position of each array an add reaches is a slot, so each array takes its totals in one plain add.
    names = sorted({e.array for row in rows for e in row if in_table(e)})
    slots = [(name, p) for name in names for p in range(int(np.prod(shapes[name], dtype=np.int64)))]
    column = {s: j for j, s in enumerate(slots)}
    tabled = tuple(tuple(e for e in row if in_table(e)) for row in rows)
    counts = [len(row) for row in tabled]
    targets = []
    for name in sorted({name for name, _ in slots}):
        cols = [j for j, (n, _) in enumerate(slots) if n == name]  # contiguous: slots are sorted by name
        targets.append((name, slice(cols[0], cols[-1] + 1)))
    table = EffectTable(
        row_start=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        entry_slot=np.array([column[slot(e)] for row in tabled for e in row], dtype=np.int64),
        entry_amount=np.array([e.amount for row in tabled for e in row], dtype=np.float64),
        slots=len(slots), targets=tuple(targets), tabled=tabled,
        rest=tuple(tuple(e for e in row if not in_table(e)) for row in rows))
    for array in (table.row_start, table.entry_slot, table.entry_amount):
        array.flags.writeable = False
    return table


def apply_table(ledger: Ledger, table: EffectTable, game: np.ndarray, row: np.ndarray) -> None:
    """Apply table rows per game: row[i] for game[i], pairs grouped by game. A game's entries are summed
    per slot in the order of its pairs (bincount adds in input order), whatever else the batch holds, and
    each total is added to the state once."""
    if game.size == 0 or table.slots == 0:
        return
    a = ledger.arrays
    B = a["seed"].shape[0]
    start, count = table.row_start[row], table.row_start[row + 1] - table.row_start[row]
    owner = np.repeat(game, count)
    entry = np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count) + np.repeat(start, count)
    # slot-major [S, B] over the slots this quarter reaches (few of the table's): each array's totals are
    # then rows, added without short strided loops; bincount sums each (slot, game) in input order
    slot = table.entry_slot[entry]
    used = np.flatnonzero(np.bincount(slot, minlength=table.slots))  # np.unique's, without its sort
    total = np.bincount(np.searchsorted(used, slot) * B + owner, weights=table.entry_amount[entry],
                        minlength=used.size * B).reshape(used.size, B)
    # every target's bounds in `used` at once (one search, not one per target)
    bounds = np.searchsorted(used, [edge for _, cols in table.targets for edge in (cols.start, cols.stop)]).tolist()
    for k, (name, cols) in enumerate(table.targets):
        lo, hi = bounds[2 * k], bounds[2 * k + 1]
        if lo == hi:
            continue
        if a[name].ndim == 1:
            a[name] += total[lo]
        else:
            flat = a[name].reshape(B, -1)
            assert a[name].flags.c_contiguous  # so `flat` is a view: step copies the arrays it changes
            # column by column: twice as fast as one fancy-indexed update (which gathers, then scatters)
            for k, j in enumerate((used[lo:hi] - cols.start).tolist(), start=lo):
                flat[:, j] += total[k]
