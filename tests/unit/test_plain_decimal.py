"""plain_decimal, which every exported kWh goes through, gives the one plain form of a number:
equal to it exactly, its sign kept, no exponent, no trailing zero after the point."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lkk_integration.quantities import plain_decimal

NUMBERS = st.one_of(
    st.from_regex(r"\A[+-]?[0-9]{1,40}(\.[0-9]{0,40})?([eE][+-]?[0-9]{1,3})?\Z"),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["0E+5", "-0.0000", "1200.0000", "99999999999999.9999", "1" + "0" * 40,
                     "9" * 60 + ".5", "1E+30", "-1E+1", "10", "0.0001"]),
).map(Decimal)


@given(NUMBERS)
def test_the_plain_form_is_the_same_number_without_exponent_or_trailing_zeros(value):
    plain = plain_decimal(value)
    sign, digits, exponent = plain.as_tuple()
    assert plain == value and sign == value.as_tuple().sign
    assert exponent <= 0
    assert exponent == 0 or digits[-1] != 0
    assert len(digits) == 1 or digits[0] != 0
    assert "E" not in format(plain, "f")
