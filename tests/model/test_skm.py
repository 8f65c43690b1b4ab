"""The SKM index computed exactly (PermenPANRB 14/2017; MPP_REFERENCE §6): NRR per unsur, index with weights
of exactly 1/9, IKM x 25 rounded once, mutu and kinerja."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from mpp_planner.model.skm import compute, grade, minimum_sample


def test_hand_computed_fixture():
    forms = [[4, 3, 3, 4, 3, 4, 4, 3, 3],
             [3, 3, 2, 4, 3, 3, 4, None, 3],
             [4, 4, 3, 4, 4, 4, 4, 4, 2]]
    r = compute(forms)
    assert r.respondents == 3
    # by hand: NRR = 11/3, 10/3, 8/3, 4, 10/3, 11/3, 4, 7/2, 8/3; sum = 185/6 -> index = 185/54
    nrr = [Fraction(11, 3), Fraction(10, 3), Fraction(8, 3), Fraction(4), Fraction(10, 3), Fraction(11, 3),
           Fraction(4), Fraction(7, 2), Fraction(8, 3)]
    assert [u.nrr for u in r.unsur] == nrr
    assert r.unsur[7].answered == 2 and r.unsur[7].missing == 1
    index = sum(nrr) / 9
    assert r.index == index
    assert index == Fraction(185, 54)
    assert r.ikm == Decimal("85.65")  # 25 x 3,425925... = 85,6481... -> 85,65
    assert (r.mutu, r.kinerja) == ("B", "Baik")
    assert [u.unsur for u in r.weakest()] == [3, 9, 2]


def test_early_rounding_would_give_another_grade():
    """NRR rounded to 4 places and weights of 0,111 (a common spreadsheet) give 88,30 (B); the exact method
    gives 88,31 (A)."""
    # eight unsur at 3,5324 x ... : build answers whose exact index x 25 is just at 88,31
    forms = []
    # 10000 respondents: unsur 1..9 answered so that the total per unsur is 35324 / 10000 = 3,5324
    n = 10000
    for i in range(n):
        forms.append([4 if i < 5324 else 3] * 9)
    r = compute(forms)
    assert r.ikm == Decimal("88.31") and r.mutu == "A"
    nrr4 = [Decimal(u.total) / u.answered for u in r.unsur]
    spreadsheet = (sum(n.quantize(Decimal("0.0001")) * Decimal("0.111") for n in nrr4) * 25).quantize(Decimal("0.01"))
    assert spreadsheet < Decimal("88.31") and grade(spreadsheet)[0] == "B"


@pytest.mark.parametrize("ikm, mutu", [("88.30", "B"), ("88.31", "A"), ("76.60", "C"), ("76.61", "B"),
                                       ("64.99", "D"), ("65.00", "C"), ("25.00", "D"), ("100.00", "A")])
def test_grade_boundaries(ikm, mutu):
    assert grade(Decimal(ikm))[0] == mutu


def test_an_unsur_nobody_answered_leaves_no_index():
    r = compute([[4, 3, 3, 4, 3, 4, 4, 3, None]])
    assert r.index is None and r.ikm is None and r.mutu == "-" and r.unsur[8].missing == 1


def test_empty_forms_are_no_respondents():
    r = compute([[None] * 9, [4] * 9])
    assert r.respondents == 1 and r.ikm == Decimal("100.00")


@pytest.mark.parametrize("population, sample", [(10, 10), (12, 12), (100, 80), (101, 86), (1000, 278),
                                                (2000, 322), (10 ** 7, 384)])
def test_krejcie_morgan_minimum_sample(population, sample):
    assert minimum_sample(population) == sample
