"""Exact decimal quantities (kWh, a transformation ratio): their digits, the range the database
keeps, and the plain form people and the contract read (docs/spec.md §13.2, §15.10).

Everything here is exact and needs no decimal context: a value of any size that a person, a
spreadsheet or the billing sends is measured, never rounded to the context's 28 digits first
(which would make a 29-digit reading look like 1E+28 with no fraction).
"""
from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal

# NUMERIC(18, 4): what the readings' and the buffer's columns keep on PostgreSQL (and, as
# text, on SQLite). A meter shows at most 12 integer digits (Capacity 1–12) and a reading at
# most 4 fraction digits (the fraction_digits rule, 0–4), so every valid value fits.
STORED_INTEGER_DIGITS = 14
STORED_FRACTION_DIGITS = 4


def _significant(value: Decimal) -> tuple[int, tuple[int, ...], int]:
    """(sign, digits, exponent) with trailing zeros moved into the exponent: 12300.0 →
    (0, (1, 2, 3), 2). Requires a finite value."""
    sign, digits, exponent = value.as_tuple()
    if not any(digits):
        return sign, (0,), 0
    end = len(digits)
    while digits[end - 1] == 0:
        end -= 1
    return sign, digits[:end], exponent + len(digits) - end


def fraction_digits(value: Decimal) -> int:
    """How many digits a finite value has after the decimal point, trailing zeros not counted:
    12.50 → 1, 1E+30 → 0, 0.0001 → 4."""
    _sign, _digits, exponent = _significant(value)
    return -exponent if exponent < 0 else 0


def integer_digits(value: Decimal) -> int:
    """How many digits a finite value has before the decimal point (at least 1): 0.5 → 1,
    12345.6 → 5, 1E+30 → 31. From the exponent, so a number of thousands of digits is cheap."""
    return max(value.adjusted() + 1, 1) if value else 1


def fits_stored(value: Decimal) -> bool:
    """Whether the database keeps `value` exactly: finite, at most 14 integer and 4 fraction
    digits (NUMERIC(18, 4))."""
    return (value.is_finite() and integer_digits(value) <= STORED_INTEGER_DIGITS
            and fraction_digits(value) <= STORED_FRACTION_DIGITS)


# A context that never rounds: its precision and exponents hold any Decimal.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_ONE = Decimal(1)


def plain_decimal(value: Decimal) -> Decimal:
    """The same number without trailing zeros and without an exponent: 12000.0000 → 12000,
    1E+2 → 100. Exact for any finite value (no rounding to the context's precision); an
    exponent notation's zeros are written out, so give it bounded values."""
    if value.is_finite():
        # Every kWh of an export page comes through here (db.Kwh), so the C methods, not the
        # digit tuple: a quarter of the time. normalize() moves trailing zeros into the
        # exponent (1200 → 1.2E+3); an integer of 10 or more then gets them written out.
        plain = value.normalize(_EXACT)
        # (to_integral_value rounds to an integer, never to a precision: exact in any context)
        if plain.adjusted() > 0 and plain == plain.to_integral_value():
            plain = plain.quantize(_ONE, context=_EXACT)
        return plain
    sign, digits, exponent = _significant(value)
    if exponent > 0:
        digits, exponent = digits + (0,) * exponent, 0
    return Decimal((sign, digits, exponent))


# How far a value may be from a number with the allowed fraction digits and still be that
# number: a spreadsheet keeps numbers as binary floats, so a formula's 16431.88 may be stored
# as 16431.879999999997, and 0.1 + 0.2 as 0.30000000000000004 (docs/spec.md §13.2).
FLOAT_NOISE = Decimal("0.000001")


def without_float_noise(value: Decimal, fraction: int) -> Decimal:
    """`value` rounded to `fraction` digits after the point when it is within 1e-6 of that
    number (binary floating point's noise, up or down: 16431.879999999997 → 16431.88,
    0.30000000000000004 → 0.3 at 2 digits), else `value` itself, to get its verdict as it is
    (docs/spec.md §13.2). Trailing zeros are dropped (plain_decimal) and a value rounding to
    zero is 0, never -0. Exact for any finite value
    (the context is sized to the value's digits); anything else is returned as it is."""
    if not value.is_finite() or fraction_digits(value) <= fraction:
        return value
    context = Context(prec=len(value.as_tuple().digits) + integer_digits(value) + fraction + 2,
                      rounding=ROUND_HALF_EVEN)
    rounded = value.quantize(Decimal(1).scaleb(-fraction), context=context)
    if context.abs(context.subtract(value, rounded)) > FLOAT_NOISE:
        return value
    return plain_decimal(rounded.copy_abs() if not rounded else rounded)
