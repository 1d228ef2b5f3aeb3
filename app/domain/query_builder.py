"""SQL written from what a learner picks and types: quoted identifiers, checked literals and
the refusal they raise, shared by the analysis builder and the table browser
(app/domain/analysis).

Identifiers come only from the variant's schema and are double-quoted; values are
checked and written as literals (numbers as numbers, text single-quoted with '' doubled),
so nothing a learner types can change the shape of the statement. Every refusal has a
stable code and names the form field to mark.
"""

import math
import re

COMPARISONS = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
NUMERIC_TYPES = frozenset({"INTEGER", "REAL"})
MAX_VALUE_CHARS = 200

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


class BuilderError(ValueError):
    """A choice the builder refuses: a stable ``code``, the form ``field`` and details."""

    def __init__(self, code: str, *, field: str = "", **params: object):
        super().__init__(f"{code} ({field})" if field else code)
        self.code = code
        self.field = field
        self.params = params


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_text(value: str) -> str:
    """A text literal; in SQLite doubling the quote is the only escaping there is."""
    return "'" + value.replace("'", "''") + "'"


def number_literal(text: str, field: str) -> str:
    """A number as SQL writes it; refuses anything else (also inf, nan, hex, 1_000)."""
    text = text.strip()
    if _INTEGER.fullmatch(text):
        return str(int(text))
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        raise BuilderError("not_a_number", field=field, value=text)
    return repr(float(text))


def check_value(value: str, field: str) -> None:
    if value == "":
        raise BuilderError("value_required", field=field)
    if len(value) > MAX_VALUE_CHARS:
        raise BuilderError("value_too_long", field=field, max=MAX_VALUE_CHARS)
    try:
        value.encode("utf-8")  # lone surrogates cannot be, and the sandbox refuses them
    except UnicodeEncodeError:
        raise BuilderError("bad_character", field=field) from None
    if "\x00" in value:  # SQLite would end the text there
        raise BuilderError("bad_character", field=field)


def emptiness_sql(column: str, kind: str, empty: bool) -> str:
    """Empty means NULL, or for text also blank: what a person means by "not filled in"."""
    if kind in NUMERIC_TYPES:
        return f"{column} IS NULL" if empty else f"{column} IS NOT NULL"
    if empty:
        return f"({column} IS NULL OR trim({column}) = '')"
    return f"({column} IS NOT NULL AND trim({column}) <> '')"
