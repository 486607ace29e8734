"""Drawing numbers: stratified streams (so a few hundred draws hit a rate) and quantile lookups."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Sequence


class Strata:
    """Uniform numbers in [0, 1) drawn in shuffled blocks of evenly spread strata.

    `u < p` is then true for a share p of any run of draws, within a block's rounding, while the order looks
    random: rates hold in a few hundred cases instead of drifting by sampling error.
    """

    def __init__(self, rng: random.Random, block: int = 20) -> None:
        self.rng, self.block, self.queue = rng, block, []

    def __call__(self) -> float:
        if not self.queue:
            self.queue = [(k + self.rng.random()) / self.block for k in range(self.block)]
            self.rng.shuffle(self.queue)
        return self.queue.pop()

    def chance(self, p: float) -> bool:
        return self() < p

    def pick(self, weights: dict[str, float]) -> str:
        return share_of(list(weights), self(), share=weights.__getitem__)


def quantile(knots: Sequence[tuple[float, float]], u: float) -> int:
    """Piecewise-linear inverse distribution, rounded up so each band's boundary keeps its share."""
    index = bisect.bisect_left([share for share, _ in knots], u)
    (u0, v0), (u1, v1) = knots[max(index - 1, 0)], knots[min(index, len(knots) - 1)]
    value = v1 if u1 == u0 else v0 + (u - u0) / (u1 - u0) * (v1 - v0)
    return max(0, math.ceil(value))


def share_of(items: Sequence, u: float, *, share: Callable) -> object:
    """The item whose slice of [0, 1) holds `u`, slices sized by each item's share in order."""
    total = 0.0
    for item in items:
        total += share(item)
        if u < total:
            return item
    return items[-1]
