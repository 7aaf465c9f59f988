"""Bootstrap draws, written once.

A bootstrap resample of ``n`` units is a vector of multinomial counts (how
often each unit was drawn), so a statistic that is a weighted sum over units
is computed for all resamples at once as a matrix product (Efron &
Tibshirani 1993, ch. 6).
"""

from __future__ import annotations

import numpy as np

__all__ = ["bootstrap_weights", "percentile_interval"]


def bootstrap_weights(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """``n_boot × n`` draw counts of ``n`` units resampled with replacement.

    Each row sums to ``n``. For ``n == 0`` an empty ``n_boot × 0`` matrix.

    >>> w = bootstrap_weights(np.random.default_rng(0), 4, 3)
    >>> w.shape, w.sum(1).tolist()
    ((3, 4), [4.0, 4.0, 4.0])
    """
    if n == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)


def percentile_interval(reps: np.ndarray, confidence: float, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The percentile interval of bootstrap replicates along ``axis``."""
    tail = (1 - confidence) / 2
    lo, hi = np.quantile(reps, [tail, 1 - tail], axis=axis)
    return lo, hi
