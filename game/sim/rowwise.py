"""Sums and maxima over the last axis (vendors) as a few whole-column operations, and rows picked fast.

numpy reduces every short row in an inner loop of its own, so over a [B,R,V] array with V of about ten a
loop over the V columns is several times faster. `row_sum` keeps numpy's own order of summation (pairwise
with eight accumulators, exactly `x.sum(axis=-1)` for rows of up to 128) so the bits stay numpy's; the
maximum does not depend on the order.
"""

from __future__ import annotations

import numpy as np

_BLOCK = 128
"""numpy's pairwise block: rows up to this long are summed with eight accumulators and no recursion."""


def _columns(x: np.ndarray) -> list[np.ndarray]:
    flat = x.reshape(-1, x.shape[-1])
    return [flat[:, j] for j in range(flat.shape[1])]


def _shaped(column: np.ndarray, x: np.ndarray, keepdims: bool) -> np.ndarray:
    return column.reshape(x.shape[:-1] + ((1,) if keepdims else ()))


def row_sum(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """`x.sum(axis=-1, keepdims=keepdims)`, bit for bit."""
    n = x.shape[-1]
    if n == 0 or n > _BLOCK or x.size == 0:
        return x.sum(axis=-1, keepdims=keepdims)
    c = _columns(x)
    if n == 1:
        return _shaped(c[0].copy(), x, keepdims)
    if n < 8:
        total = c[0] + c[1]
        for column in c[2:]:
            total += column
    else:
        acc = c[:8]
        i = 8
        while i + 8 <= n:
            acc = [acc[j] + c[i + j] for j in range(8)]
            i += 8
        total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        for column in c[i:]:
            total += column
    return _shaped(total, x, keepdims)


def nonzero2(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.nonzero` of a 2-D mask (rows, columns, in row-major order), about four times faster: the flat
    positions, split by the row length."""
    rows, columns = np.divmod(np.flatnonzero(mask), mask.shape[1])
    return rows, columns


def row_max(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """`x.max(axis=-1, keepdims=keepdims)` (NaN propagates, as there)."""
    if x.shape[-1] == 0 or x.size == 0:
        return x.max(axis=-1, keepdims=keepdims)
    c = _columns(x)
    if len(c) == 1:
        return _shaped(c[0].copy(), x, keepdims)
    top = np.maximum(c[0], c[1])
    for column in c[2:]:
        np.maximum(top, column, out=top)
    return _shaped(top, x, keepdims)


def take_rows(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`x[rows]` (a copy): `np.take` along the first axis, two to four times faster than fancy indexing
    for a [B,...] array of short rows (a 1-D array indexes faster)."""
    return x[rows] if x.ndim == 1 else np.take(x, rows, axis=0)
