"""Plain, typed statistics for the insights page, the doctor's report and the assessment's patterns.

No database and no Django: counts in, numbers out, so they are tested against worked
examples and against scipy (tests/test_insights_stats.py; scipy is a test dependency only).

- `rate`: a share of nights, e.g. 7 cramp nights of 12 nights after hard days.
- `rate_ratio`: how many times likelier a cramp night is with a factor than without, with a
  95% interval by the log method (Katz); when a cell is zero, 0.5 is added to every cell
  (Haldane–Anscombe), so the ratio and its interval stay finite and honest about the doubt.
- `fisher_exact_p`: the two-sided p-value of Fisher's exact test on the same 2×2 table,
  exact even for the small counts a diary has.
- `benjamini_hochberg`: adjusted p-values (q-values) that control the false discovery rate
  when many factors are compared at once, so noise in one of ten is not called a "trigger".
- `judge`: THE decision, per factor, for one set of nights: counts, rate ratio with its interval,
  Fisher's p and the Benjamini–Hochberg q over the family given, and the verdict ("more", "fewer",
  "unclear", "too_few"). The assessment's patterns and cause rules and the insights page all call
  it with the same family (prevention/assessment/rules.py `verdicts`), so they never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)  # 1.959963...
CONTINUITY = 0.5
# Below this many nights in either group the page says "not enough data yet" (docs/insights.md).
MIN_GROUP_NIGHTS = 7
# ... and at least this many cramp nights in the two groups together.
MIN_EVENTS = 3
FDR = 0.05  # the false discovery rate controlled by Benjamini–Hochberg


@dataclass(frozen=True)
class Rate:
    events: int
    total: int

    @property
    def value(self) -> float | None:
        return self.events / self.total if self.total else None


@dataclass(frozen=True)
class RateRatio:
    """Cramp nights with a factor (a of n1) against without it (b of n2)."""

    a: int
    n1: int
    b: int
    n2: int
    ratio: float | None  # None: a group is empty, so there is nothing to compare
    low: float | None
    high: float | None
    corrected: bool  # a zero cell: 0.5 was added to each cell

    @property
    def enough(self) -> bool:
        return enough_data(self.a, self.n1, self.b, self.n2)


def rate(events: int, total: int) -> Rate:
    if events < 0 or total < 0 or events > total:
        raise ValueError("events must be between 0 and total")
    return Rate(events, total)


def enough_data(
    a: int, n1: int, b: int, n2: int, min_nights: int = MIN_GROUP_NIGHTS, min_events: int = MIN_EVENTS
) -> bool:
    return n1 >= min_nights and n2 >= min_nights and a + b >= min_events


def rate_ratio(a: int, n1: int, b: int, n2: int, z: float = Z95) -> RateRatio:
    """(a/n1) / (b/n2) with its confidence interval on the log scale."""
    rate(a, n1), rate(b, n2)  # validates
    if n1 == 0 or n2 == 0:
        return RateRatio(a, n1, b, n2, None, None, None, False)
    corrected = 0 in (a, b, n1 - a, n2 - b)
    if corrected:
        ca, cn1, cb, cn2 = a + CONTINUITY, n1 + 2 * CONTINUITY, b + CONTINUITY, n2 + 2 * CONTINUITY
    else:
        ca, cn1, cb, cn2 = float(a), float(n1), float(b), float(n2)
    ratio = (ca / cn1) / (cb / cn2)
    se = math.sqrt(1 / ca - 1 / cn1 + 1 / cb - 1 / cn2)
    log_ratio = math.log(ratio)
    return RateRatio(a, n1, b, n2, ratio, math.exp(log_ratio - z * se), math.exp(log_ratio + z * se), corrected)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact_p(a: int, n1: int, b: int, n2: int) -> float:
    """Two-sided Fisher exact test: the chance of a table at most as likely as this one, margins fixed."""
    rate(a, n1), rate(b, n2)
    events, total = a + b, n1 + n2
    if total == 0 or events in (0, total) or 0 in (n1, n2):
        return 1.0
    low, high = max(0, events - n2), min(events, n1)
    denominator = _log_comb(total, events)

    def log_p(x: int) -> float:
        return _log_comb(n1, x) + _log_comb(n2, events - x) - denominator

    observed = log_p(a)
    # scipy's tolerance: tables within a relative 1e-7 of the observed one count as "as likely".
    limit = observed + math.log1p(1e-7)
    p = sum(math.exp(lp) for x in range(low, high + 1) if (lp := log_p(x)) <= limit)
    return min(1.0, p)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values, in the input's order (monotone, at most 1)."""
    m = len(p_values)
    if m == 0:
        return []
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = min(1.0, running)
    return adjusted


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def comparison_table(hit: int, total: int, other_hit: int, other_total: int) -> tuple[int, int, int, int]:
    """The assessment's Comparison (cramp nights with the factor, cramp-free nights with it) as
    (cramp nights with the factor, nights with it, cramp nights without it, nights without it)."""
    return hit, hit + other_hit, total - hit, (total - hit) + (other_total - other_hit)


Table = tuple[int, int, int, int]  # (cramp nights with it, nights with it, cramp nights without it, nights without it)


@dataclass(frozen=True)
class Judged:
    """One factor's comparison and its verdict, judged within a family of factors."""

    rr: RateRatio
    p: float  # two-sided Fisher exact
    q: float | None  # Benjamini–Hochberg adjusted over the family's comparisons with enough data

    @property
    def enough(self) -> bool:
        return self.rr.enough

    @property
    def verdict(self) -> str:
        """ "more" / "fewer" (unlikely to be chance after the correction), "unclear" or "too_few"."""
        if not self.enough or self.rr.ratio is None:
            return "too_few"
        if self.q is not None and self.q <= FDR:
            return "more" if self.rr.ratio > 1 else "fewer"
        return "unclear"

    def flipped(self) -> Judged:
        """The same comparison read from the other group (nights with the routine = nights without
        "no bedtime exercises"): the ratio inverts, "more" and "fewer" swap, p and q stay."""
        rr = self.rr
        return Judged(rate_ratio(rr.b, rr.n2, rr.a, rr.n1), self.p, self.q)


def judge(tables: Mapping[str, Table]) -> dict[str, Judged]:
    """The verdict on every factor of a family, each from its 2×2 table, with Benjamini–Hochberg over
    those with enough data (a comparison too small to test does not dilute the others)."""
    ratios = {code: rate_ratio(*table) for code, table in tables.items()}
    p_values = {code: fisher_exact_p(*table) for code, table in tables.items()}
    tested = [code for code, rr in ratios.items() if rr.enough]
    q_values = dict(zip(tested, benjamini_hochberg([p_values[code] for code in tested])))
    return {code: Judged(ratios[code], p_values[code], q_values.get(code)) for code in tables}
