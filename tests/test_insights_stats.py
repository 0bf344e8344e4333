"""The insights statistics against worked examples and against scipy (a test-only dependency)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sp
from scipy.stats.contingency import relative_risk

from prevention.assessment import stats
from tests.examples import examples


def test_worked_example_seven_of_twelve_against_four_of_thirty():
    # By hand: RR = (7/12)/(4/30) = 4.375; SE(log RR) = sqrt(1/7 − 1/12 + 1/4 − 1/30) = 0.52554;
    # 95% CI = exp(log 4.375 ± 1.96 × 0.52554) = 1.561 … 12.26.
    rr = stats.rate_ratio(7, 12, 4, 30)
    assert rr.ratio == pytest.approx(4.375)
    assert rr.low == pytest.approx(1.5615, abs=1e-3)
    assert rr.high == pytest.approx(12.258, abs=1e-2)
    assert not rr.corrected


def test_worked_example_fifteen_of_a_hundred_against_five():
    # By hand: RR = 3.0; SE = sqrt(1/15 − 1/100 + 1/5 − 1/100) = 0.49666; 95% CI = 3 × exp(∓0.97344) = 1.13 … 7.94.
    rr = stats.rate_ratio(15, 100, 5, 100)
    assert rr.ratio == pytest.approx(3.0)
    assert (round(rr.low, 2), round(rr.high, 2)) == (1.13, 7.94)


@pytest.mark.parametrize(
    "a,n1,b,n2", [(7, 12, 4, 30), (15, 100, 5, 100), (1, 9, 3, 40), (20, 21, 10, 60), (3, 5, 2, 5)]
)
def test_rate_ratio_matches_scipy(a, n1, b, n2):
    expected = relative_risk(a, n1, b, n2)
    interval = expected.confidence_interval(0.95)
    rr = stats.rate_ratio(a, n1, b, n2)
    assert rr.ratio == pytest.approx(expected.relative_risk)
    assert rr.low == pytest.approx(interval.low, rel=1e-6)
    assert rr.high == pytest.approx(interval.high, rel=1e-6)


@pytest.mark.parametrize("a,n1,b,n2", [(0, 10, 4, 30), (5, 10, 0, 30), (10, 10, 4, 30), (0, 8, 0, 8), (8, 8, 8, 8)])
def test_a_zero_cell_gets_the_continuity_correction(a, n1, b, n2):
    rr = stats.rate_ratio(a, n1, b, n2)
    assert rr.corrected
    assert 0 < rr.low < rr.ratio < rr.high < math.inf
    # The corrected ratio is the uncorrected one of the table with 0.5 added to each cell.
    assert rr.ratio == pytest.approx(((a + 0.5) / (n1 + 1)) / ((b + 0.5) / (n2 + 1)))


def test_no_cramps_and_no_factor_both_give_no_data():
    assert stats.rate_ratio(0, 0, 3, 10).ratio is None
    assert stats.rate_ratio(0, 0, 0, 0).ratio is None
    assert not stats.rate_ratio(0, 0, 0, 0).enough
    assert stats.fisher_exact_p(0, 0, 0, 0) == 1.0
    assert stats.rate(0, 0).value is None


def test_the_minimum():
    assert not stats.enough_data(3, 6, 1, 20)  # six nights with the factor: too few
    assert not stats.enough_data(1, 10, 1, 10)  # two cramp nights in all: too few
    assert stats.enough_data(2, 7, 1, 7)


def test_nonsense_counts_are_refused():
    with pytest.raises(ValueError):
        stats.rate_ratio(5, 4, 1, 10)
    with pytest.raises(ValueError):
        stats.rate(-1, 3)


@pytest.mark.parametrize(
    "a,n1,b,n2", [(7, 12, 4, 30), (1, 9, 3, 40), (0, 10, 6, 12), (3, 5, 2, 5), (12, 20, 12, 20), (1, 1, 0, 1)]
)
def test_fisher_matches_scipy(a, n1, b, n2):
    expected = sp.fisher_exact([[a, n1 - a], [b, n2 - b]]).pvalue
    assert stats.fisher_exact_p(a, n1, b, n2) == pytest.approx(expected, rel=1e-9)


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(1, 40), st.integers(1, 40))
def test_fisher_matches_scipy_everywhere(a, b, n1, n2):
    a, b = min(a, n1), min(b, n2)
    expected = sp.fisher_exact([[a, n1 - a], [b, n2 - b]]).pvalue
    assert stats.fisher_exact_p(a, n1, b, n2) == pytest.approx(expected, rel=1e-6, abs=1e-12)


def test_benjamini_hochberg_worked_example():
    # Benjamini & Hochberg (1995)'s fifteen p-values: at FDR 0.05 the four smallest are discoveries.
    p = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.0,
    ]
    q = stats.benjamini_hochberg(p)
    assert sum(value <= 0.05 for value in q) == 4
    assert q == pytest.approx(list(sp.false_discovery_control(p, method="bh")))


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.floats(0, 1), max_size=25))
def test_benjamini_hochberg_matches_scipy(p):
    q = stats.benjamini_hochberg(p)
    assert q == pytest.approx(list(sp.false_discovery_control(p, method="bh")) if p else [])
    assert all(qi >= pi - 1e-12 for qi, pi in zip(q, p))


def test_median_and_the_assessment_table():
    assert stats.median([]) is None
    assert stats.median([3]) == 3
    assert stats.median([1, 9, 4, 2]) == 3
    # 5 of 9 cramp nights and 3 of 20 other nights had it: 5 cramp nights of the 8 nights with it,
    # 4 of the 21 nights without it.
    assert stats.comparison_table(5, 9, 3, 20) == (5, 8, 4, 21)
