"""The causal ledger: every change to a state array goes through `Ledger.add` with its cause.

Causes are short strings `kind:id` (`lever:rnd-b5g`, `event:typhoon`, `drift:ageing`, `market:price`);
`game.sim.why` turns them into the turn report's "what changed and why". Recording is optional so that
balance sweeps of thousands of games pay only for the arithmetic, yet both paths change the state
through the same calls.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


class Ledger:
    def __init__(self, arrays: dict[str, np.ndarray], record: bool):
        self.arrays = arrays
        self.record = record
        self.entries: dict[str, dict[str, np.ndarray]] = {}

    def add(self, name: str, cause: str, delta: ArrayLike, index: tuple[int, ...] = ()) -> None:
        """Add `delta` (shape [B] + the indexed trailing dims) to arrays[name][:, *index]."""
        where: tuple[Any, ...] = (slice(None), *index)
        self.arrays[name][where] += delta
        if self.record:
            self.note(name, cause, delta, index)

    def note(self, name: str, cause: str, delta: ArrayLike, index: tuple[int, ...] = ()) -> None:
        """Record a part of a change applied elsewhere (see `add_split`)."""
        by_name = self.entries.setdefault(cause, {})
        if name not in by_name:
            by_name[name] = np.zeros_like(self.arrays[name], dtype=np.float64)
        where: tuple[Any, ...] = (slice(None), *index)
        by_name[name][where] += delta

    def mask(self, active: np.ndarray) -> None:
        """Drop what was recorded for finished games (their state is restored unchanged)."""
        for by_name in self.entries.values():
            for name, delta in by_name.items():
                shape = (-1,) + (1,) * (delta.ndim - 1)
                by_name[name] = delta * active.reshape(shape)

    def total(self, name: str) -> np.ndarray | None:
        """Sum over causes of the recorded changes of one array (tests compare it with the state change)."""
        parts = [by_name[name] for by_name in self.entries.values() if name in by_name]
        return np.sum(parts, axis=0) if parts else None
