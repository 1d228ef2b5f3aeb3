"""The 工号 (employee number, the username): one rule decides when two spellings are one account.

A 工号 is matched in its canonical form: full-width forms folded (ＨＸ１００１ → HX1001),
surrounding spaces trimmed and letters in upper case. An 18-digit citizen ID number used as a
工号 ends in an upper-case X by its national standard (GB 11643), so ``…123x`` and ``…123X``
are one person, as are ``hx1001`` and ``HX1001``. The roster writes new 工号 in this form;
sign-in, user administration and every other look-up by 工号 compare in it.
"""

import unicodedata


def canonical_username(text: str) -> str:
    """The form a 工号 is compared (and the roster stores it) in: NFKC, trimmed, upper case."""
    return unicodedata.normalize("NFKC", text).strip().upper()
