"""The 统一社会信用代码 (unified social credit code) of GB 32100-2015: 18 characters, the last a check character.

Characters are the digits and the capital letters other than I, O, Z, S and V (31 in all, each standing for its
position in `CHARSET`). The check character is `31 - (Σ value(cᵢ) × 3^(i-1) mod 31) mod 31` over the first 17.
`normalise_credit_code` turns what people type (spaces, lower case, full-width characters) into the stored form.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(
    pow(3, i, 31) for i in range(17)
)  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


def normalise_credit_code(code: str | None) -> str:
    """Full-width to half-width, spaces and dashes removed, upper case."""
    text = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def check_character(first17: str) -> str:
    """The 18th character for these 17 (which must all be in CHARSET)."""
    total = sum(CHARSET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str | None) -> str | None:
    """What is wrong with this code, in words for the person who typed it; None when it is valid."""
    code = normalise_credit_code(code)
    if len(code) != LENGTH:
        return _("A unified social credit code has 18 characters; this one has %(count)s.") % {
            "count": len(code)
        }
    for position, ch in enumerate(code, start=1):
        if ch not in CHARSET:
            return _(
                "Character %(position)s (“%(char)s”) cannot appear in a unified social credit code: only digits "
                "and capital letters other than I, O, Z, S and V are used."
            ) % {"position": position, "char": ch}
    expected = check_character(code[:17])
    if code[17] != expected:
        return _(
            "The check character (the 18th) of this unified social credit code should be %(expected)s, not "
            "%(given)s: one of the characters is probably mistyped."
        ) % {"expected": expected, "given": code[17]}
    return None


def credit_code_is_valid(code: str | None) -> bool:
    return credit_code_problem(code) is None
