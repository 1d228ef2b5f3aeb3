"""Text normalisation for answers typed by people (full/half width, spaces, case)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC folds full-width letters, digits and punctuation to half width; then case and spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub("", folded)


def parse_number(text: str, unit: str | None = None) -> float:
    """A number as people type it: full-width digits, thousands separators, a trailing unit."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if unit:
        cleaned = cleaned.removesuffix(unicodedata.normalize("NFKC", unit).replace(" ", ""))
    cleaned = cleaned.removesuffix("%") if unit == "%" else cleaned
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(text) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value
