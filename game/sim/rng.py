"""Counter-based randomness: every draw is a pure function of (seed, turn, purpose, index).

A game is then fully defined by scenario + content + seed + actions: batch order, process count,
save and restore, or a changed allocation elsewhere never shift another draw (what-if replays rely
on this). The hash is splitmix64, vectorised over numpy uint64 arrays (wrapping arithmetic).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


class Purpose(IntEnum):
    """Why a number is drawn. Stable values: changing one changes every game."""

    EVENT = 1
    EVENT_ORDER = 2
    INCIDENT = 3
    MAJOR = 4
    DEAL = 5
    STRATEGY = 6
    FORECAST = 7


def _mix(x: np.ndarray) -> np.ndarray:
    x = x + _GOLDEN  # a new array (or scalar): the steps below work on it in place
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def hash64(seed: ArrayLike, turn: int, purpose: int, index: ArrayLike) -> np.ndarray:
    """uint64 hash; `seed` and `index` broadcast (e.g. seed[B, 1] with index[1, K])."""
    seed = np.asarray(seed, dtype=np.uint64)
    index = np.asarray(index, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping is the point; numpy warns only for 0-d inputs
        h = _mix(seed)
        h = _mix(h ^ np.uint64(turn & 0xFFFFFFFF))
        h = _mix(h ^ np.uint64(int(purpose)))
        return _mix(h ^ index)


def uniform(seed: ArrayLike, turn: int, purpose: int, index: ArrayLike = 0) -> np.ndarray:
    """Floats in [0, 1) from the top 53 bits of the hash."""
    u = (hash64(seed, turn, purpose, index) >> np.uint64(11)).astype(np.float64)
    u *= 2.0 ** -53
    return u


def derive_seeds(seed: int, count: int, purpose: int = Purpose.FORECAST) -> np.ndarray:
    """`count` seeds unrelated to `seed`'s own stream (for forecasts that must not reveal the future)."""
    return hash64(np.uint64(seed), 0, purpose, np.arange(count, dtype=np.uint64))
