"""From bytes and cells to clean text: encodings, numbers, full-width forms, names of values."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from app.domain.vocabulary import Rank, RoleName, WorkCategory

#: Chinese Excel saves CSV as GBK; GB18030 is its superset. UTF-8 is tried first, strictly.
_ENCODINGS = (("utf-8-sig", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030"))
#: Integers beyond this lost digits as an Excel number (doubles hold 15 significant digits).
_MAX_EXACT_DIGITS = 15


class RosterFileError(ValueError):
    """The file as a whole cannot be read; ``code`` says why (worded by the caller)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "UTF-8", "UTF-8 (BOM)", "GBK" or "GB18030"


def decode_csv(data: bytes) -> Decoded:
    """Decode a CSV file, trying UTF-8 (with or without BOM), then GBK, then GB18030."""
    for codec, label in _ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            label = "UTF-8 (BOM)"
        return Decoded(text, label)
    raise RosterFileError("undecodable")


class LostPrecision(ValueError):
    """A number cell too long to be exact: the column must be formatted as text."""


def cell_text(value) -> str:
    """A cell's value as trimmed text; ID-like numbers stay digits, never ``1.2E+17``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            digits = str(int(abs(value)))
            if len(digits) > _MAX_EXACT_DIGITS:
                raise LostPrecision(digits)
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def normalize_code(text: str) -> str:
    """Codes, usernames and ranks: full-width forms folded (１２３ → 123), spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


_HAN = "\u3400-\u9fff\uf900-\ufaff"
#: Spaces between two Chinese characters (full-width U+3000 or not) pad a name to line it up
#: in a table (李　娜, 王 小 明): they are not part of the name.
_PADDING = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")


def normalize_name(text: str) -> str:
    """Names keep their characters (no NFKC on CJK); padding goes, other space runs become one.

    ``李　娜`` → ``李娜``; ``Anna　 Lee`` → ``Anna Lee``.
    """
    return re.sub(r"\s+", " ", _PADDING.sub("", text)).strip()


def _names(table: dict) -> dict[str, object]:
    names = {}
    for member, labels in table.items():
        for label in (member.value, member.name, *labels):
            names[_fold(label)] = member
    return names


def _fold(text: str) -> str:
    return normalize_code(text).lower().replace(" ", "").replace("_", "")


# Chinese names as the interface shows them (app/labels.py) plus common variants.
RANK_NAMES = _names({
    Rank.BUREAU: ("厅局级", "厅级", "局级", "Bureau level"),
    Rank.DIVISION: ("县处级", "处级", "Division level"),
    Rank.SECTION: ("乡科级", "科级", "Section level"),
    Rank.STAFF: ("科员及以下", "科员", "办事员"),
    Rank.GRASSROOTS: ("基层/网格员", "基层", "网格员", "grid worker"),
})
CATEGORY_NAMES = _names({
    WorkCategory.ADMINISTRATION: ("综合管理", "General administration"),
    WorkCategory.ECONOMY: ("经济产业", "Economy and industry"),
    WorkCategory.SOCIAL_GOVERNANCE: ("社会治理", "Social governance"),
    WorkCategory.URBAN_EMERGENCY: ("城建应急", "Urban construction and emergency"),
    WorkCategory.PUBLIC_SERVICE: ("公共服务", "Public services"),
})
ROLE_NAMES = _names({
    RoleName.CADRE: ("学员", "干部"),
    RoleName.TRAINER: ("教员", "讲师"),
    RoleName.HR: ("组织人事", "组织部", "人事"),
    RoleName.ADMIN: ("管理员", "系统管理员", "administrator"),
})
_ROLE_SEPARATORS = re.compile(r"[，,;；、\s]+")


def parse_rank(text: str) -> Rank | None:
    return RANK_NAMES.get(_fold(text))


def parse_category(text: str) -> WorkCategory | None:
    return CATEGORY_NAMES.get(_fold(text))


def parse_roles(text: str) -> tuple[frozenset[RoleName], list[str]]:
    """Roles separated by ，,;、 or spaces: the roles found and the names not understood."""
    roles, unknown = set(), []
    for part in _ROLE_SEPARATORS.split(normalize_code(text)):
        if not part:
            continue
        role = ROLE_NAMES.get(_fold(part))
        if role is None:
            unknown.append(part)
        else:
            roles.add(role)
    return frozenset(roles), unknown
