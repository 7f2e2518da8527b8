"""The game state: numpy arrays whose leading axis is the game index (B games at once).

Shapes: B games, R regions, V vendors, L levers, D deals, A alliances, K stakeholders, E events, H lag slots.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np


@dataclass(frozen=True)
class State:
    turn: int
    """Turns completed; the quarter being played is start + turn. The same for every game of a batch."""
    seed: np.ndarray  # uint64[B]
    # market
    shares: np.ndarray  # [B,R,V] each region sums to 1
    banned: np.ndarray  # bool[B,R,V] barred from new contracts
    rip: np.ndarray  # [B,R] rip-and-replace rate of banned kit per quarter
    appeal: np.ndarray  # [B,R,V] temporary attractiveness (campaigns, subsidies)
    propped: np.ndarray  # [B,R,V] share held by subsidised installs (re-contracted as subsidies fade)
    market_size: np.ndarray  # [B,R] US$ billions a year
    attribution: np.ndarray  # [B,K,R,V] share each market component has moved (bookkeeping for the "why")
    # vendors
    tech: np.ndarray  # [B,V]
    cost: np.ndarray  # [B,V]
    trust: np.ndarray  # [B,V]
    dependence: np.ndarray  # [B,V]
    rnd: np.ndarray  # [B,V] own radio R&D, ¥ billions a quarter
    rnd6g: np.ndarray  # [B,V] own 6G research, ¥ billions a quarter
    sixg: np.ndarray  # [B,V] 6G research position
    # Japan and the world
    engineers: np.ndarray  # [B] thousands
    approval: np.ndarray  # [B] 0-100
    tension: np.ndarray  # [B] 0-100
    threat: np.ndarray  # [B] 0-100
    budget_mod: np.ndarray  # [B] change to the next quarter's budget
    reserve: np.ndarray  # [B] unspent budget carried into the next quarter, ¥ billions
    standing: np.ndarray  # [B,A]
    pledged: np.ndarray  # int64[B,A] quarters of an alliance pledge still owed
    stance: np.ndarray  # [B,K] stakeholders' stance, 0-100
    support: np.ndarray  # [B,D]
    deal_status: np.ndarray  # int8[B,D] 1 won, -1 lost, 0 open or not yet decided
    deploying: np.ndarray  # int64[B,D] quarters of a decided contract's deployment still to come
    pipeline: np.ndarray  # [B,L',H] effective spend maturing in h quarters, per lever with a lag (World.lagged)
    invested: np.ndarray  # [B,L] ¥ billions spent so far
    incidents: np.ndarray  # int64[B]
    major_incidents: np.ndarray  # int64[B]
    incidents_last: np.ndarray  # int64[B]
    fired: np.ndarray  # int64[B,E]
    last_fired: np.ndarray  # int64[B,E] turn it last fired (-10**6 never)
    pending: np.ndarray  # bool[B,E] events that fire at the start of this turn
    done: np.ndarray  # bool[B]
    dismissed: np.ndarray  # bool[B] ended early: approval collapsed

    @property
    def batch(self) -> int:
        return int(self.seed.shape[0])

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in _ARRAY_FIELDS}

    def replace(self, **changes: Any) -> State:
        return replace(self, **changes)

    def game(self, i: int) -> State:
        """Game i alone, as a batch of one (contiguous copies)."""
        return State(turn=self.turn, **{k: np.ascontiguousarray(v[i:i + 1]) for k, v in self.arrays().items()})

    def repeat(self, n: int) -> State:
        """A batch of n copies of a one-game state."""
        return State(turn=self.turn, **{k: np.repeat(v, n, axis=0) for k, v in self.arrays().items()})

    def hash(self, i: int = 0) -> str:
        """sha256 of game i's world (names, dtypes, shapes and bytes of its arrays, in field order).
        Bookkeeping kept only for turn reports is left out: a sweep and a recorded game hash the same."""
        h = hashlib.sha256(f"turn={self.turn}".encode())
        for name, array in self.arrays().items():
            if name in BOOKKEEPING:
                continue
            part = np.ascontiguousarray(array[i])
            h.update(f"|{name}:{part.dtype.str}:{part.shape}|".encode())
            h.update(part.tobytes())
        return h.hexdigest()

    def hashes(self) -> list[str]:
        """`hash(i)` for every game at once: one sha256 call per game over a prebuilt byte matrix."""
        B = self.batch
        blocks = [np.frombuffer(f"turn={self.turn}".encode(), dtype=np.uint8)]
        for name, array in self.arrays().items():
            if name in BOOKKEEPING:
                continue
            part = np.ascontiguousarray(array[0])
            blocks.append(np.frombuffer(f"|{name}:{part.dtype.str}:{part.shape}|".encode(), dtype=np.uint8))
            blocks.append(np.ascontiguousarray(array).reshape(B, -1).view(np.uint8))
        rows = np.concatenate([np.broadcast_to(b, (B, b.size)) if b.ndim == 1 else b for b in blocks], axis=1)
        return [hashlib.sha256(rows[i]).hexdigest() for i in range(B)]


BOOKKEEPING = ("attribution",)
_ARRAY_FIELDS = tuple(f.name for f in fields(State) if f.name != "turn")  # arrays() is on the hot path


def stack(states: list[State]) -> State:
    """One batch from several states at the same turn."""
    turn = states[0].turn
    if any(s.turn != turn for s in states):
        raise ValueError("states of one batch must be at the same turn")
    names = states[0].arrays().keys()
    return State(turn=turn, **{k: np.concatenate([s.arrays()[k] for s in states]) for k in names})
