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


def _mix(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser of `x + golden`, stepped in place on `x` (an array the caller owns) with the
    scratch array `t` (of x's shape) for the shifts: no temporaries of the hash's size."""
    x += _GOLDEN
    x ^= np.right_shift(x, np.uint64(30), out=t)
    x *= _M1
    x ^= np.right_shift(x, np.uint64(27), out=t)
    x *= _M2
    x ^= np.right_shift(x, np.uint64(31), out=t)
    return x


def _hash(seed: ArrayLike, turn: int, purpose: int, index: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(the hash, a scratch array of its shape and dtype): the key's first three parts are mixed at the
    seed's shape, only the last at the broadcast shape."""
    seed = np.asarray(seed, dtype=np.uint64)
    index = np.asarray(index, dtype=np.uint64)
    h = np.array(seed, ndmin=1)  # (a copy, mixed in place; at least 1-d so that the steps stay in place)
    scratch = np.empty_like(h)
    _mix(h, scratch)
    h ^= np.uint64(turn & 0xFFFFFFFF)
    _mix(h, scratch)
    h ^= np.uint64(int(purpose))
    _mix(h, scratch)
    x = h ^ index
    scratch = scratch if scratch.shape == x.shape else np.empty_like(x)
    return _mix(x, scratch).reshape(np.broadcast_shapes(seed.shape, index.shape)), scratch


def hash64(seed: ArrayLike, turn: int, purpose: int, index: ArrayLike) -> np.ndarray:
    """uint64 hash; `seed` and `index` broadcast (e.g. seed[B, 1] with index[1, K])."""
    return _hash(seed, turn, purpose, index)[0]


def uniform(seed: ArrayLike, turn: int, purpose: int, index: ArrayLike = 0) -> np.ndarray:
    """Floats in [0, 1) from the top 53 bits of the hash."""
    x, scratch = _hash(seed, turn, purpose, index)
    x >>= np.uint64(11)
    # into the scratch array (free by now) read as floats; exact: below 2**53, times a power of two
    return np.multiply(x, 2.0 ** -53, out=scratch.view(np.float64).reshape(x.shape))


def derive_seeds(seed: int, count: int, purpose: int = Purpose.FORECAST) -> np.ndarray:
    """`count` seeds unrelated to `seed`'s own stream (for forecasts that must not reveal the future)."""
    return hash64(np.uint64(seed), 0, purpose, np.arange(count, dtype=np.uint64))
