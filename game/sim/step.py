"""One quarter of the game for a batch: `step(state, actions, world) -> (state, report)`.

The pipeline, in order: budget (with the reserve) and allocations, the events that fired at the start of
the quarter with the choices taken, lever effects (with lag and diminishing returns), alliance pledges,
drift (alliances, stakeholders, research, rivals), the market, export deals and their deployment,
security incidents, approval, limits, the ending, and the events of the next quarter.
The kinds of cause booked after the market has moved shares are declared in causes.AFTER_MARKET.
`step` is `open_quarter` (up to the events) then `close_quarter` (the rest); a look-ahead bot opens a
quarter once and closes a fork of it per plan (`Quarter.rows`, `spend`).
Pure: the input state is never modified; nothing is read from or written to the outside world.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from game.sim import causes, deals, drift, events, levers, market, security
from game.sim.effects import apply_effects
from game.sim.ledger import Ledger
from game.sim.metrics import budget as current_budget
from game.sim.metrics import domestic_share
from game.sim.rowwise import row_sum, take_rows
from game.sim.state import State
from game.sim.world import World

# name -> (low, high) clamps applied at the end of every quarter (recorded as cause "limits").
LIMITS = {
    "approval": (0.0, 100.0), "tension": (0.0, 100.0), "threat": (0.0, 100.0), "tech": (0.0, 100.0),
    "trust": (0.0, 1.0), "dependence": (0.0, 1.0), "cost": (0.3, 3.0), "engineers": (0.0, np.inf),
    "standing": (0.0, 100.0), "support": (0.0, np.inf), "market_size": (0.1, np.inf),
    "stance": (0.0, 100.0), "rnd": (0.0, np.inf), "rnd6g": (0.0, np.inf), "sixg": (0.0, np.inf),
    "reserve": (0.0, np.inf),
}


@dataclass(frozen=True)
class Actions:
    allocations: np.ndarray  # [B,L] ¥ billions per lever
    choices: np.ndarray | None = None  # int[B,E] choice index per pending event, -1 = default

    @staticmethod
    def nothing(world: World, batch: int) -> Actions:
        return Actions(np.zeros((batch, len(world.lever_ids))))


@dataclass(frozen=True)
class TurnReport:
    turn: int
    """The turn just played (0-based)."""
    quarter: str
    budget: np.ndarray  # [B]
    spent: np.ndarray  # [B,L] what was actually spent
    refused: np.ndarray  # bool[B] the plan went over budget and was scaled down
    events: np.ndarray  # bool[B,E] events that fired this quarter
    choices: np.ndarray  # int[B,E] the choice taken (-1: none)
    incidents: np.ndarray  # int[B]
    major_incidents: np.ndarray  # int[B]
    deals: np.ndarray  # int8[B,D] 1 won / -1 lost this quarter, else 0
    ledger: dict[str, dict[str, np.ndarray]]
    """cause -> state array name -> change (empty unless recorded)."""


def _ones(batch: int) -> np.ndarray:
    return np.ones(batch)


def initial_state(world: World, seeds: ArrayLike) -> State:
    """The start of the scenario for each seed (a non-negative int each)."""
    seeds = np.asarray(seeds, dtype=np.int64)
    if seeds.ndim != 1 or (seeds < 0).any():
        raise ValueError("seeds must be a 1-D sequence of non-negative integers")
    B = seeds.size
    arr, m = world.arrays, world.model
    R, V = arr["shares0"].shape
    L, D, E = len(world.lever_ids), len(world.deal_ids), len(world.event_ids)
    start = {"engineers": 30.0, "approval": 55.0, "tension": 45.0, "threat": 50.0, **m.start}

    def tile(x, dtype=np.float64):
        return np.tile(np.asarray(x, dtype=dtype), (B,) + (1,) * np.ndim(x))

    a = {
        "seed": seeds.astype(np.uint64),
        "shares": tile(arr["shares0"]), "banned": tile(arr["bans0"], bool), "rip": tile(arr["rip0"]),
        "appeal": np.zeros((B, R, V)), "propped": np.zeros((B, R, V)), "market_size": tile(arr["market_size0"]),
        "attribution": np.zeros((B, arr["parts0"].shape[0], R, V)),
        "tech": tile(arr["tech0"]), "cost": tile(arr["cost0"]), "trust": tile(arr["trust0"]), "dependence": np.zeros((B, V)),
        "rnd": tile(arr["rnd0"]), "rnd6g": tile(arr["rnd6g0"]), "sixg": tile(arr["sixg0"]),
        "engineers": np.full(B, start["engineers"]), "approval": np.full(B, start["approval"]),
        "tension": np.full(B, start["tension"]), "threat": np.full(B, start["threat"]), "budget_mod": np.zeros(B),
        "reserve": np.zeros(B),
        "standing": tile(arr["standing0"]), "pledged": np.zeros((B, len(world.alliance_ids)), dtype=np.int64),
        "stance": tile(arr["stance0"]), "support": np.zeros((B, D)), "deal_status": np.zeros((B, D), dtype=np.int8),
        "deploying": np.zeros((B, D), dtype=np.int64),
        "pipeline": np.zeros((B, world.lagged.size, world.max_lag + 1)), "invested": np.zeros((B, L)),
        "incidents": np.zeros(B, dtype=np.int64), "major_incidents": np.zeros(B, dtype=np.int64),
        "incidents_last": np.zeros(B, dtype=np.int64),
        "fired": np.zeros((B, E), dtype=np.int64), "last_fired": np.full((B, E), -10**6, dtype=np.int64),
        "pending": np.zeros((B, E), dtype=bool), "done": np.zeros(B, dtype=bool), "dismissed": np.zeros(B, dtype=bool),
    }
    apply_effects(Ledger(a, record=False), world.initial_effects, _ones(B), causes.SCENARIO)
    _clamp(Ledger(a, record=False))
    state = State(turn=0, **a)
    return state.replace(pending=events.draw_events(state, world, 0))


_REPLACED = ("seed", "pending", "done", "dismissed", "fired", "last_fired", "pledged")
"""State arrays `step` never changes in place (it replaces them whole, or keeps them)."""


def _clamp(ledger: Ledger) -> None:
    a = ledger.arrays
    for name, (low, high) in LIMITS.items():
        x = a[name]
        # Most arrays are within their limits: two reductions decide, and only the others are clipped.
        if x.size and not (x.min() >= low and x.max() <= high):  # (NaN takes the clip path, as before)
            ledger.add(name, causes.LIMITS, np.clip(x, low, high) - x)
    shares = a["shares"]
    fixed = np.clip(shares, 0.0, 1.0, out=None if ledger.record else shares)  # (in place unless noted)
    fixed /= row_sum(fixed, keepdims=True)
    if ledger.record:
        ledger.note("shares", causes.LIMITS, fixed - shares)
    a["shares"] = fixed  # (set, not added back as a change: the same in a recorded game and a sweep)


@dataclass(frozen=True)
class Quarter:
    """A quarter opened for a batch (`open_quarter`) and not yet closed (`close_quarter`): the state's arrays as
    the quarter changes them, and what the rest of it reads from its opening."""

    turn: int
    ledger: Ledger
    """Its `arrays` are the quarter's: copies of the arrays it changes in place."""
    active: np.ndarray  # bool[B] games not over
    budget: np.ndarray  # [B] this quarter's budget (the reserve included)
    fundable: np.ndarray  # bool[B,L] levers.fundable at the start
    reserve: np.ndarray  # [B] the reserve at the start
    major_incidents: np.ndarray  # int[B] at the start
    pending: np.ndarray  # bool[B,E] the events that fire
    chosen: np.ndarray  # int[B,E] the answers taken
    share_before: np.ndarray  # [B] the domestic share at the start
    previous: State | None
    """The state it opened from, whose finished games `close_quarter` restores (None in a fork: none finished)."""
    spent: np.ndarray | None = None
    """[B,L] the plan as the rules allow it (None until it is spent)."""
    refused: np.ndarray | None = None  # bool[B]

    def rows(self, rows: np.ndarray) -> Quarter:
        """A fork: games `rows` of the opened quarter (copies, none finished and none spent yet), for a
        look-ahead to close with its own plan (`spend`). Never recorded: its `attribution`, bookkeeping for the
        turn report that an unrecorded quarter neither reads nor writes, is shared, or a read-only view of zeros
        for a subset of rows."""
        assert self.spent is None and not self.ledger.record and self.active[rows].all()
        unchanged = (*_REPLACED, "attribution")  # what the close of an unrecorded quarter never changes in place
        if rows.size == self.active.size and np.array_equal(rows, np.arange(rows.size)):  # the whole batch
            arrays = {k: v if k in unchanged else v.copy() for k, v in self.ledger.arrays.items()}
        else:
            arrays = {k: take_rows(v, rows) for k, v in self.ledger.arrays.items() if k != "attribution"}
            book = self.ledger.arrays["attribution"]
            arrays["attribution"] = np.broadcast_to(np.zeros(book.shape[1:]), (rows.size, *book.shape[1:]))
        return Quarter(self.turn, Ledger(arrays, False), self.active[rows], self.budget[rows], self.fundable[rows],
                       self.reserve[rows], self.major_incidents[rows], self.pending[rows], self.chosen[rows],
                       self.share_before[rows], None)


def open_quarter(state: State, world: World, choices: np.ndarray | None = None, record: bool = False,
                 allocations: np.ndarray | None = None) -> Quarter:
    """The opening of `step`: the budget (with the reserve), the events that fire with the answers taken, and
    with `allocations` the plan (spent before the events, as the rules say). Without them, the part of the
    quarter no plan changes, to be shared by several plans (`Quarter.rows`, then `spend`): only where no
    event can touch the reserve (World.events_touch_reserve), so that spending after the events gives the
    same bits."""
    turn = state.turn
    if turn >= world.turns:
        raise ValueError(f"the scenario has {world.turns} turns; turn {turn} cannot be played")
    # Arrays the quarter changes in place are copied; the seed never changes, and `attribution` (bookkeeping
    # for the turn report) only when recording. The arrays the quarter replaces whole are not copied.
    shared = _REPLACED if record else (*_REPLACED, "attribution")
    a = {k: v if k in shared else v.copy() for k, v in state.arrays().items()}
    ledger = Ledger(a, record)
    active = ~state.done
    budget = current_budget(state, world)
    ledger.add("budget_mod", causes.BUDGET_RESET, -state.budget_mod)
    pending = state.pending & active[:, None]
    quarter = Quarter(turn, ledger, active, budget, levers.fundable(state, world), state.reserve,
                      state.major_incidents, pending, events.resolve_choices(world, pending, choices),
                      domestic_share(a, world), state)
    if allocations is not None:
        quarter = _spend(quarter, allocations, world)
    else:
        assert not world.events_touch_reserve, "spent after the events, the reserve would take other bits"
    events.apply_events(ledger, world, pending, quarter.chosen, turn)
    return quarter


def spend(quarter: Quarter, allocations: np.ndarray, world: World) -> Quarter:
    """A shared opening's quarter (`Quarter.rows`) with its own plan, ready to close."""
    assert not world.events_touch_reserve
    return _spend(quarter, allocations, world)


def _spend(quarter: Quarter, allocations: np.ndarray, world: World) -> Quarter:
    """The plan: allocations as the rules allow them; what is left unspent is partly kept in the reserve for
    the next quarters (this quarter's budget used the reserve)."""
    assert quarter.spent is None
    spent, refused = levers.legal_allocations(allocations, quarter.budget, quarter.fundable, world)
    spent = np.where(quarter.active[:, None], spent, 0.0)
    kept = world.scenario.carryover * np.maximum(quarter.budget - spent.sum(axis=1), 0.0)
    quarter.ledger.add("reserve", causes.RESERVE, kept - quarter.reserve)
    return replace(quarter, spent=spent, refused=refused)


def step(state: State, actions: Actions, world: World, record: bool = False,
         lookahead: bool = False) -> tuple[State, TurnReport]:
    """Play one quarter for every game of the batch. Games already over are returned unchanged.

    `lookahead`: a look-ahead bot's imagined quarter, valued and thrown away: the next quarter's events
    are not drawn (`pending` comes back empty; nothing a score or a metric reads depends on it), every
    other array is bit for bit the full step's."""
    assert not (record and lookahead), "a look-ahead step is never recorded"
    quarter = open_quarter(state, world, actions.choices, record, actions.allocations)
    return close_quarter(quarter, world, lookahead)


def close_quarter(quarter: Quarter, world: World, lookahead: bool = False) -> tuple[State, TurnReport]:
    """The rest of `step` once the plan is spent: levers, pledges, drift, the market, deals, incidents,
    approval, limits, the ending and (unless `lookahead`) the next quarter's events."""
    turn, ledger, active, spent = quarter.turn, quarter.ledger, quarter.active, quarter.spent
    assert spent is not None and quarter.refused is not None, "spend the quarter's plan first"
    a = ledger.arrays
    dismissed = a["dismissed"]  # (replaced whole below, never changed in place)
    levers.fund_levers(ledger, world, spent, turn)
    levers.keep_pledges(ledger, world, spent)
    drift.hold_unfounded(ledger, world, turn)
    drift.drift(ledger, world)
    market.move_shares(ledger, world)
    status_before = a["deal_status"].copy()
    deals.decide_deals(ledger, world, turn)
    security.draw_incidents(ledger, world, turn)
    gained = domestic_share(a, world) - quarter.share_before
    ledger.add("approval", causes.SHARE_APPROVAL,
               world.model.politics.approval_per_share_point * 100 * gained)
    _clamp(ledger)

    a["dismissed"] = dismissed | (active & (a["approval"] < world.scenario.dismissal_approval))
    a["done"] = ~active | a["dismissed"] | (turn + 1 >= world.turns)
    finished = np.flatnonzero(~active)
    if finished.size:  # finished games keep their state bit for bit
        assert quarter.previous is not None
        previous = quarter.previous.arrays()
        for name, value in a.items():
            if value is not previous[name]:
                value[finished] = previous[name][finished]
    ledger.mask(active)
    new = State(turn=turn + 1, **a)
    if turn + 1 < world.turns and not lookahead:
        new = new.replace(pending=events.draw_events(new, world, turn + 1) & ~new.done[:, None])
    else:
        new = new.replace(pending=np.zeros_like(new.pending))
    report = TurnReport(
        turn=turn, quarter=world.quarter(turn), budget=np.where(active, quarter.budget, 0.0), spent=spent,
        refused=quarter.refused & active, events=quarter.pending, choices=quarter.chosen,
        incidents=np.where(active, a["incidents_last"], 0),
        major_incidents=a["major_incidents"] - quarter.major_incidents,
        deals=(a["deal_status"] - status_before).astype(np.int8) * (status_before == 0),
        ledger=ledger.entries,
    )
    return new, report
