"""One quarter of the game for a batch: `step(state, actions, world) -> (state, report)`.

The pipeline, in order: budget (with the reserve) and allocations, the events that fired at the start of
the quarter with the choices taken, lever effects (with lag and diminishing returns), alliance pledges,
drift (alliances, stakeholders, research, rivals), the market, export deals and their deployment,
security incidents, approval, limits, the ending, and the events of the next quarter.
The kinds of cause booked after the market has moved shares are declared in causes.AFTER_MARKET.
Pure: the input state is never modified; nothing is read from or written to the outside world.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from game.sim import causes, deals, drift, events, levers, market, security
from game.sim.effects import apply_effects
from game.sim.ledger import Ledger
from game.sim.metrics import budget as current_budget
from game.sim.metrics import domestic_share
from game.sim.rowwise import row_sum
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


def step(state: State, actions: Actions, world: World, record: bool = False,
         lookahead: bool = False) -> tuple[State, TurnReport]:
    """Play one quarter for every game of the batch. Games already over are returned unchanged.

    `lookahead`: a look-ahead bot's imagined quarter, valued and thrown away: the next quarter's events
    are not drawn (`pending` comes back empty; nothing a score or a metric reads depends on it), every
    other array is bit for bit the full step's."""
    turn = state.turn
    assert not (record and lookahead), "a look-ahead step is never recorded"
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
    spent, refused = levers.legal_allocations(actions.allocations, budget, levers.fundable(state, world), world)
    spent = np.where(active[:, None], spent, 0.0)
    # This quarter's budget used the reserve; what is left unspent is partly kept for the next quarters.
    kept = world.scenario.carryover * np.maximum(budget - spent.sum(axis=1), 0.0)
    ledger.add("reserve", causes.RESERVE, kept - state.reserve)
    share_before = domestic_share(a, world)

    pending = state.pending & active[:, None]
    chosen = events.resolve_choices(world, pending, actions.choices)
    events.apply_events(ledger, world, pending, chosen, turn)
    levers.fund_levers(ledger, world, spent, turn)
    levers.keep_pledges(ledger, world, spent)
    drift.hold_unfounded(ledger, world, turn)
    drift.drift(ledger, world)
    market.move_shares(ledger, world)
    status_before = a["deal_status"].copy()
    deals.decide_deals(ledger, world, turn)
    security.draw_incidents(ledger, world, turn)
    gained = domestic_share(a, world) - share_before
    ledger.add("approval", causes.SHARE_APPROVAL,
               world.model.politics.approval_per_share_point * 100 * gained)
    _clamp(ledger)

    a["dismissed"] = state.dismissed | (active & (a["approval"] < world.scenario.dismissal_approval))
    a["done"] = state.done | a["dismissed"] | (turn + 1 >= world.turns)
    finished = np.flatnonzero(~active)
    if finished.size:  # finished games keep their state bit for bit
        previous = state.arrays()
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
        turn=turn, quarter=world.quarter(turn), budget=np.where(active, budget, 0.0), spent=spent,
        refused=refused & active, events=pending, choices=chosen,
        incidents=np.where(active, a["incidents_last"], 0),
        major_incidents=a["major_incidents"] - state.major_incidents,
        deals=(a["deal_status"] - status_before).astype(np.int8) * (status_before == 0),
        ledger=ledger.entries,
    )
    return new, report
