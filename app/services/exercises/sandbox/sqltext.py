"""Checks on the query text made before SQLite sees it.

The text must be UTF-8, at most MAX_SQL_CHARS characters, one statement that starts
with SELECT, WITH or VALUES, and nested at most MAX_NESTING parentheses deep. These
checks give clear messages early; the authorizer and limits on the connection
enforce the same rules again (see policy.py), so a gap here is not a hole.
"""

import re

from app.services.exercises.sandbox.errors import refusal

MAX_SQL_CHARS = 20_000
MAX_NESTING = 100
FIRST_WORDS = frozenset({"select", "with", "values"})

# SQLite's lexical structure, as far as statement boundaries go: quoted strings and
# identifiers ('..', "..", `..`, [..]) and comments hide semicolons. An unterminated
# quote or comment runs to the end of the text (SQLite then reports the error).
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<quoted>'[^']*(?:''[^']*)*'?|"[^"]*(?:""[^"]*)*"?|`[^`]*(?:``[^`]*)*`?|\[[^\]]*\]?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<semi>;)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<other>.)
    """,
    re.S | re.X,
)


def decode_query(sql: str | bytes) -> str:
    """The query as text, or SandboxError("too_long" / "bad_encoding")."""
    if isinstance(sql, bytes | bytearray | memoryview):
        raw = bytes(sql)
        if len(raw) > MAX_SQL_CHARS * 4:  # no UTF-8 character is longer than 4 bytes
            raise refusal("too_long", limit=MAX_SQL_CHARS)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise refusal("bad_encoding") from None
    elif isinstance(sql, str):
        text = sql
    else:
        raise TypeError(f"the query must be str or bytes, not {type(sql).__name__}")
    text = text.removeprefix("\ufeff")  # a byte-order mark pasted from a file
    if len(text) > MAX_SQL_CHARS:
        raise refusal("too_long", limit=MAX_SQL_CHARS)
    try:
        text.encode("utf-8")  # lone surrogates cannot be encoded
    except UnicodeEncodeError:
        raise refusal("bad_encoding") from None
    if "\x00" in text:
        raise refusal("bad_encoding")
    return text


def single_statement(text: str) -> str:
    """The one statement in ``text`` (trailing semicolons and comments dropped).

    Raises SandboxError "empty", "not_select", "multiple_statements" or "too_deep".
    """
    first_word = None
    end = None
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "semi" and (first_word is None or end is not None):
            continue  # semicolons before the statement or after its end
        if end is not None:
            raise refusal("multiple_statements")
        if first_word is None:
            first_word = _first_word(match.group(), kind)
        if kind == "semi":
            end = match.start()
        depth += {"open": 1, "close": -1}.get(kind, 0)
        deepest = max(deepest, depth)
    if first_word is None:
        raise refusal("empty")
    if deepest > MAX_NESTING:
        raise refusal("too_deep")
    return text[:end]


def _first_word(token: str, kind: str | None) -> str:
    if kind != "word" or token.lower() not in FIRST_WORDS:
        raise refusal("not_select")
    return token.lower()


def checked_statement(sql: str | bytes) -> str:
    """Decode ``sql`` and return the single statement to run, or raise SandboxError."""
    return single_statement(decode_query(sql))
