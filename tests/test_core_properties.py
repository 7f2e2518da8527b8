"""Property tests of the core over random seeds and random (often absurd) allocations and choices.

Whatever a strategy sends, every quarter of the default scenario must keep: shares in [0, 1] summing to
1 per region, no NaN or inf anywhere, spending within the budget and never negative, and a ledger whose
recorded changes add up to the state's change for every ledgered array.
"""

from __future__ import annotations

import contextlib
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.sim import events
from game.sim.effects import Shifts, apply_effects, shift_shares
from game.sim.ledger import Ledger
from game.sim.levers import fundable
from game.sim.rowwise import nonzero2, row_max, row_sum
from game.sim.step import Actions, initial_state, step
from game.sim.why import LEDGERED

MAX_BATCH = 3

wild = st.one_of(
    st.floats(min_value=0.0, max_value=12.0),  # sensible amounts (several levers at once go over budget)
    st.floats(allow_nan=True, allow_infinity=True),  # anything: negative, NaN, inf, 1e308
    st.sampled_from([0.0, -1.0, -1e300, 1e300, float("nan"), float("inf"), float("-inf"), 5e-324]),
)


@st.composite
def games(draw, world):
    batch = draw(st.integers(1, MAX_BATCH))
    seeds = draw(st.lists(st.integers(0, 2**63 - 1), min_size=batch, max_size=batch))
    L, E = len(world.lever_ids), len(world.event_ids)
    plan = draw(arrays(np.float64, (world.turns, batch, L), elements=wild))
    choices = draw(arrays(np.int64, (world.turns, batch, E), elements=st.integers(-3, 4)))
    return seeds, plan, choices


def check_state(state, world):
    for name, array in state.arrays().items():
        if array.dtype.kind == "f":
            assert np.isfinite(array).all(), f"{name} has NaN or inf"
    shares = state.shares
    assert (shares >= 0.0).all() and (shares <= 1.0).all()
    np.testing.assert_allclose(shares.sum(axis=2), 1.0, rtol=0, atol=1e-9)


def check_spending(report):
    assert (report.budget >= 0).all()
    assert (report.spent >= 0).all()
    assert (report.spent.sum(axis=1) <= report.budget + 1e-9).all()


def check_ledger(before, after, report):
    totals = _totals(report)
    for name in LEDGERED:
        change = getattr(after, name).astype(np.float64) - getattr(before, name).astype(np.float64)
        recorded = totals.get(name)
        recorded = np.zeros_like(change) if recorded is None else recorded
        np.testing.assert_allclose(recorded, change, rtol=0, atol=1e-9, err_msg=f"ledger of '{name}'")


def _totals(report):
    out = {}
    for by_name in report.ledger.values():
        for name, delta in by_name.items():
            out[name] = out.get(name, 0.0) + delta
    return out


def test_ledger_total_matches_own_sum(world):
    """Ledger.total is what the property test relies on (same numbers as summing entries by hand)."""
    state = initial_state(world, [3, 4])
    alloc = np.full((2, len(world.lever_ids)), 2.0)
    _after, report = step(state, Actions(alloc), world, record=True)
    assert report.ledger, "record=True must record"
    ledger = Ledger({}, record=True)
    ledger.entries = report.ledger
    for name, total in _totals(report).items():
        np.testing.assert_array_equal(ledger.total(name), total)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # no overflow or invalid value on the way either
@given(data=st.data())
def test_invariants_hold_every_quarter(world, data):
    seeds, plan, choices = data.draw(games(world))
    state = initial_state(world, seeds)
    check_state(state, world)
    for turn in range(world.turns):
        if state.done.all():
            break
        after, report = step(state, Actions(plan[turn], choices[turn]), world, record=True)
        check_state(after, world)
        check_spending(report)
        check_ledger(state, after, report)
        state = after
    assert state.done.all()


@pytest.mark.filterwarnings("error::RuntimeWarning")
@given(seed=st.integers(0, 2**63 - 1), amounts=arrays(np.float64, 16, elements=wild))
def test_over_budget_plans_are_scaled_down_never_carried_out(world, seed, amounts):
    state = initial_state(world, [seed])
    L = len(world.lever_ids)
    alloc = np.resize(amounts, (1, L))
    _, report = step(state, Actions(alloc), world)
    check_spending(report)
    legal = np.clip(np.nan_to_num(alloc, nan=0.0, posinf=0.0, neginf=0.0), 0.0, world.arrays["lever_max"])
    legal = np.where(fundable(state, world), legal, 0.0)  # levers not offered, deals not open: nothing
    if legal.sum() > report.budget[0] + 1e-9:
        assert report.refused[0]
        np.testing.assert_allclose(report.spent.sum(), report.budget[0], rtol=1e-12)
    else:
        assert not report.refused[0]
        np.testing.assert_array_equal(report.spent, legal)


def test_recording_does_not_change_the_game(world):
    """Sweeps run with record=False: the same calls must give the same bits."""
    state_a = state_b = initial_state(world, [11, 12])
    alloc = np.tile(np.linspace(0.0, 4.0, len(world.lever_ids)), (2, 1))
    for _ in range(world.turns):
        state_a, _ = step(state_a, Actions(alloc), world, record=True)
        state_b, report = step(state_b, Actions(alloc), world, record=False)
        assert report.ledger == {}
    assert state_a.hashes() == state_b.hashes()


def test_step_never_modifies_its_input(world):
    state = initial_state(world, [5])
    before = {k: v.copy() for k, v in state.arrays().items()}
    step(state, Actions(np.full((1, len(world.lever_ids)), 3.0)), world, record=True)
    for name, array in state.arrays().items():
        np.testing.assert_array_equal(array, before[name], err_msg=name)


@st.composite
def share_rows(draw, size=None):
    """One region's shares (of `size` vendors, else 1 to 8): random, with zeros, sometimes a monopoly."""
    V = size or draw(st.integers(1, 8))
    if draw(st.booleans()):
        row = np.zeros(V)
        row[draw(st.integers(0, V - 1))] = 1.0
        return row
    raw = np.array(draw(st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1.0)), min_size=V, max_size=V)))
    if raw.sum() == 0:
        raw[0] = 1.0
    return raw / raw.sum()


@given(row=share_rows(), data=st.data(), amount=st.floats(-2.0, 2.0))
def test_shift_shares_keeps_a_region_whole(row, data, amount):
    vendor = data.draw(st.integers(0, row.size - 1))
    shares = row[None, :]
    new = shares + shift_shares(shares, vendor, np.array([amount]))
    assert (new >= -1e-15).all() and (new <= 1 + 1e-15).all()
    assert abs(new.sum() - 1.0) < 1e-12
    if row.size > 1:
        assert (new[0, vendor] >= row[vendor]) if amount >= 0 else (new[0, vendor] <= row[vendor])
        if amount <= -1:
            assert new[0, vendor] == 0.0


@given(data=st.data())
def test_row_reductions_are_numpys_bit_for_bit(data):
    """The column-wise sums keep numpy's own order (pairwise, eight accumulators): the bits of x.sum(-1)."""
    shape = data.draw(st.tuples(st.integers(1, 5), st.integers(1, 4), st.integers(1, 40)))
    x = data.draw(arrays(np.float64, shape, elements=st.floats(-1e6, 1e6)))
    view = x[:, 0, :]  # a strided view, as a region of the shares
    for array in (x, view):
        for keepdims in (False, True):
            assert row_sum(array, keepdims).tobytes() == array.sum(axis=-1, keepdims=keepdims).tobytes()
            assert row_max(array, keepdims).tobytes() == array.max(axis=-1, keepdims=keepdims).tobytes()


@given(mask=arrays(bool, st.tuples(st.integers(0, 6), st.integers(0, 9))))
def test_nonzero2_is_numpys_nonzero(mask):
    """The (row, column) pairs of a 2-D mask, in numpy's order and dtype (the events' pairs rely on both)."""
    for m in (mask, mask.T):  # (a transposed view too: not C-contiguous)
        pairs = zip(nonzero2(m), np.nonzero(m), strict=True)
        assert all(a.dtype == b.dtype and np.array_equal(a, b) for a, b in pairs)


@given(seed=st.integers(0, 2**32), data=st.data())
def test_the_event_table_applies_what_the_effects_say(world, seed, data):
    """Events applied through the compiled table change the state as applying each of their effects in
    turn does (to rounding), and the table really holds the events' adds."""
    table = world.event_table
    assert sum(len(row) for row in table.tabled) > 0
    assert all(e.kind != "add" or e.array in ("shares", "propped", "banned", "rip")
               or (e.array, e.index) in {(m.array, m.index) for row in table.rest for m in row if m.kind != "add"}
               for row in table.rest for e in row)
    B, E = 4, len(world.event_ids)
    pending = data.draw(arrays(bool, (B, E)))
    choices = data.draw(arrays(np.int64, (B, E), elements=st.integers(-1, 3)))
    chosen = events.resolve_choices(world, pending, choices)
    state = initial_state(world, np.arange(seed, seed + B))
    tabled = {k: v.copy() for k, v in state.arrays().items()}
    events.apply_events(Ledger(tabled, record=False), world, pending, chosen, 0)
    one_by_one = {k: v.copy() for k, v in state.arrays().items()}
    ledger = Ledger(one_by_one, record=False)
    for e in range(E):
        apply_effects(ledger, world.event_effects[e], pending[:, e].astype(np.float64), "event")
        for c, effects in enumerate(world.choice_effects[e]):
            apply_effects(ledger, effects, (pending[:, e] & (chosen[:, e] == c)).astype(np.float64), "event")
    for name, array in tabled.items():
        if name not in ("fired", "last_fired"):
            np.testing.assert_allclose(array, one_by_one[name], rtol=1e-12, atol=1e-12, err_msg=name)


@given(data=st.data())
def test_queued_shifts_are_the_shifts_applied_in_turn(data):
    """Shifts composes a stage's share shifts per region into one map: the same shares and subsidised
    installs as shift_shares applied one after another (to rounding), regions summing to 1, and a game
    whose amounts are all 0 keeps its bits exactly (what lets a batch equal its games played alone)."""
    V = data.draw(st.integers(2, 6))
    # `far` from a monopoly: every vendor holds some share and no shift is near ±1
    far = data.draw(st.booleans())
    if far:
        raw = data.draw(arrays(np.float64, (3, V), elements=st.floats(0.05, 1.0)))
        rows = list(raw / raw.sum(axis=1, keepdims=True))
    else:
        rows = [data.draw(share_rows(V)) for _ in range(3)]
    shares = np.stack([np.stack([r, r[::-1]]) for r in rows])  # [B=3, R=2, V]; game 2 gets no shift below
    size = st.floats(-0.9, 0.9) if far else st.floats(-2.0, 2.0)
    steps = data.draw(st.lists(st.tuples(st.integers(0, 1), st.integers(0, V - 1), size, st.booleans()),
                               min_size=1, max_size=8))
    queued = {"shares": shares.copy(), "propped": np.zeros_like(shares), "banned": np.zeros(shares.shape, bool)}
    in_turn = {k: v.copy() for k, v in queued.items()}
    shifts = Shifts(Ledger(queued, record=False))
    for region, vendor, amount, prop in steps:
        per_game = np.array([amount, amount / 2, 0.0])
        shifts.queue(region, vendor, per_game, "test", prop)
        change = shift_shares(in_turn["shares"][:, region], vendor, per_game)
        in_turn["shares"][:, region] += change
        if prop:
            in_turn["propped"][:, region, vendor] += change[:, vendor]
    # Far from a monopoly the composite alone does it (shift_shares, its fallback, is not called).
    with mock.patch("game.sim.effects.shift_shares", side_effect=AssertionError("fallback")) if far \
            else contextlib.nullcontext():
        shifts.flush()
    for name in ("shares", "propped"):
        np.testing.assert_allclose(queued[name], in_turn[name], rtol=0, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(queued["shares"].sum(axis=2), 1.0, rtol=0, atol=1e-12)
    assert queued["shares"][2].tobytes() == shares[2].tobytes()
