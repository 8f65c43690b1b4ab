"""Amounts in Indonesian words, from zero to trillions."""

from decimal import Decimal

import pytest

from mpp_planner.reports.terbilang import terbilang, words


@pytest.mark.parametrize("n, text", [
    (0, "nol"), (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (12, "dua belas"), (19, "sembilan belas"),
    (20, "dua puluh"), (21, "dua puluh satu"), (100, "seratus"), (101, "seratus satu"), (110, "seratus sepuluh"),
    (111, "seratus sebelas"), (999, "sembilan ratus sembilan puluh sembilan"), (1000, "seribu"),
    (1001, "seribu satu"), (1100, "seribu seratus"), (2000, "dua ribu"), (11000, "sebelas ribu"),
    (100000, "seratus ribu"), (101000, "seratus satu ribu"), (1000000, "satu juta"),
    (1001000, "satu juta seribu"), (2950000, "dua juta sembilan ratus lima puluh ribu"),
    (1000000000, "satu miliar"), (2602167800, "dua miliar enam ratus dua juta seratus enam puluh tujuh ribu "
                                              "delapan ratus"),
    (1000000000000, "satu triliun"), (5000001000000, "lima triliun satu juta"),
    (999999999999999, "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh sembilan "
                      "miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh sembilan "
                      "ribu sembilan ratus sembilan puluh sembilan"),
    (1000000000000000, "satu kuadriliun"),
])
def test_words(n, text):
    assert words(n) == text


def test_terbilang_rupiah_and_sen():
    assert terbilang(Decimal("2950000")) == "dua juta sembilan ratus lima puluh ribu rupiah"
    assert terbilang(Decimal("0")) == "nol rupiah"
    assert terbilang(Decimal("100.50")) == "seratus rupiah lima puluh sen"
    assert terbilang(Decimal("0.05")) == "nol rupiah lima sen"
    assert terbilang(Decimal("1000.005")) == "seribu rupiah satu sen"  # rounded half-up to the sen
    assert terbilang(Decimal("-1500")) == "minus seribu lima ratus rupiah"
