"""The one way money is written for people: pages, PDFs, emails and text exports.

"£1,234", "£1,234.50", "-£5,000": the minus goes before the pound sign, pence
appear only when there are any (unless asked for), and thousands are separated.
Spreadsheet exports keep numbers as numbers; this is for text people read.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
POUND = Decimal("1")


def format_money(value, *, pence: bool | None = None, missing: str = "") -> str:
    """Write an amount in pounds.

    ``pence``: None shows pence only when the amount has some; True always shows
    them; False rounds to whole pounds. ``missing`` is written for no amount (None
    or ""). Anything that is not a number is refused with ValueError rather than
    printed as it came.
    """
    if value is None or value == "":
        return missing
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"Not an amount of money: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"Not an amount of money: {value!r}")
    amount = amount.quantize(POUND if pence is False else PENNY, rounding=ROUND_HALF_UP)
    if pence is None and amount == amount.to_integral_value():
        amount = amount.quantize(POUND)
    places = 0 if amount.as_tuple().exponent == 0 else 2
    text = f"{abs(amount):,.{places}f}"
    return f"-£{text}" if amount < 0 else f"£{text}"
