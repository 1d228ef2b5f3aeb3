"""Chart labels fitted to the room they have: their width estimated, cut with … or wrapped.

Charts are drawn on the server, where the reader's font is unknown, so widths are estimates:
a wide (CJK, full-width) character is one em, any other 7/12 em (a little more than an
average Latin letter of a sans-serif face), which errs towards room to spare.
"""

import re

#: From the CJK radicals on, characters are wide (one em).
WIDE_FROM = 0x2E80
NARROW_EM = 7 / 12
ELLIPSIS = "…"
#: Where a line may break: after a space, or before and after any wide character.
_PIECES = re.compile(r"[\u2e80-\U0010ffff]|[^\s\u2e80-\U0010ffff]+\s*|\s+")


def text_width(text: str, size: float = 12) -> float:
    """About how wide ``text`` is at font ``size``, in the same units as the size."""
    return sum(size if ord(char) >= WIDE_FROM else size * NARROW_EM for char in text)


def fit_label(text: str, room: float, size: float = 12) -> str:
    """``text`` when it fits in ``room``, else as much of its start as fits, then …"""
    if text_width(text, size) <= room:
        return text
    cut = text
    while cut and text_width(cut + ELLIPSIS, size) > room:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def wrap_label(text: str, room: float, size: float = 12, *, lines: int = 2) -> list[str]:
    """``text`` on at most ``lines`` lines of at most ``room`` wide, as even as they can be
    (数字技术 / 应用, not 数字技术应 / 用): words stay whole where they fit, Chinese breaks
    between any two characters, and what is left when the lines run out ends with …"""
    wrapped = _fill(text, room, size)
    if len(wrapped) > lines:  # the rest is wider than a line, so fit_label cuts it with …
        wrapped = [*wrapped[:lines - 1], "".join(wrapped[lines - 1:])]
    elif len(wrapped) > 1:  # the narrowest room that still needs no more lines
        even = text_width(text.strip(), size) / len(wrapped)
        while len(_fill(text, even, size)) > len(wrapped):
            even += size / 4
        wrapped = _fill(text, min(even, room), size)
    return [fit_label(line.strip(), room, size) for line in wrapped]


def _fill(text: str, room: float, size: float) -> list[str]:
    """Pieces of ``text`` put on lines as long as ``room`` allows, first come first placed."""
    wrapped: list[str] = [""]
    for piece in _PIECES.findall(text.strip()):
        if not wrapped[-1] or text_width((wrapped[-1] + piece).rstrip(), size) <= room:
            wrapped[-1] += piece
        else:
            wrapped.append(piece.lstrip())
    return wrapped
