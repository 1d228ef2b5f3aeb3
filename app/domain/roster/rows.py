"""Each data row of the roster checked: a RosterRow, or errors naming row, column and value."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain.roster.headers import COLUMN_BY_KEY, HeaderMap
from app.domain.roster.normalize import (
    LostPrecision,
    cell_text,
    normalize_code,
    normalize_name,
    parse_category,
    parse_rank,
    parse_roles,
)
from app.domain.usernames import canonical_username
from app.domain.vocabulary import Rank, RoleName, WorkCategory

_USERNAME = re.compile(r"^[\w.@-]+$")
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
#: How much of a bad value an error repeats.
_SHOWN_VALUE = 80


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class RosterRow:
    row: int
    username: str
    name: str
    org_code: str
    unit_id: int
    rank: Rank
    category: WorkCategory | None  # None: the file does not say
    roles: frozenset[RoleName]  # empty: the file does not say
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class RowError:
    """One problem: row 0 means the file or its header row as a whole."""

    row: int
    column: str
    value: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


# English wording (the CLI prints it; the web pages word the same codes in the reader's language).
ERROR_TEXTS = {
    "missing_value": "a value is required",
    "too_long": "longer than {max} characters",
    "bad_username": "only letters, digits and . _ - @ are allowed",
    "unknown_unit": "no org unit has this code",
    "inactive_unit": "the org unit {unit} is inactive",
    "duplicate_username": "the same 工号 is already on row {first_row}",
    "bad_rank": "not a rank (厅局级, 县处级, 乡科级, 科员及以下, 基层/网格员)",
    "bad_category": "not a work category (综合管理, 经济产业, 社会治理, 城建应急, 公共服务)",
    "unknown_role": "unknown role {names} (学员, 教员, 组织人事, 管理员)",
    "bad_phone": "not a mobile or landline number",
    "bad_email": "not an e-mail address",
    "lost_precision": "a number too long for Excel ({digits} digits): format the column as text",
    "missing_header": "the header row has no column {column}",
    "duplicate_header": "the header row has column {column} twice",
    "empty": "the file has no rows",
    "no_data": "the file has a header row but no data rows",
    "too_many_rows": "more than {limit} rows",
    "undecodable": "the file is neither UTF-8 nor GBK/GB18030 text",
    "not_xlsx": "not a CSV or XLSX file",
    "old_xls": "an old .xls workbook: save it as .xlsx or CSV",
    "unreadable": "the workbook cannot be read",
    "zip_bomb": "the workbook unpacks to far more than a roster needs",
}


def describe_error(error: RowError) -> str:
    text = ERROR_TEXTS.get(error.code, error.code).format(**error.params)
    where = f"row {error.row}" if error.row else "file"
    column = f", {error.column}" if error.column else ""
    value = f" «{error.value}»" if error.value else ""
    return f"{where}{column}{value}: {text}"


@dataclass(frozen=True)
class Normalization:
    """A value written differently from the file (the preview shows it): hx1001 → HX1001."""

    row: int
    column: str
    before: str
    after: str


@dataclass
class RosterCheck:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    normalized: list[Normalization] = field(default_factory=list)
    data_rows: int = 0
    #: Every username in the file, rows with errors included.
    usernames: set[str] = field(default_factory=set)


def check_rows(headers: HeaderMap, rows: Iterable[tuple[int, list]],
               units: dict[str, UnitInfo]) -> RosterCheck:
    """Check every (row number, cells) pair; blank rows are skipped (their numbers still count)."""
    check = RosterCheck()
    first_row_of: dict[str, int] = {}
    for number, cells in rows:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        check.data_rows += 1
        errors: list[RowError] = []
        values = _values(number, cells, headers, errors, check.normalized)
        row = _check_row(number, values, units, errors)
        username = values.get("username", "")
        if username in first_row_of:
            errors.append(_error(number, "username", username, "duplicate_username",
                                 first_row=first_row_of[username]))
        elif username:
            first_row_of[username] = number
            check.usernames.add(username)
        check.errors.extend(errors)
        if row is not None and not errors:
            check.rows.append(row)
    return check


#: The columns whose normalization the preview shows, and the rule for each.
_SHOWN_RULES = {"username": canonical_username, "name": normalize_name}


def _values(number: int, cells: list, headers: HeaderMap, errors: list,
            normalized: list[Normalization]) -> dict[str, str]:
    values = {}
    for key, index in headers.index_by_key.items():
        raw = cells[index] if index < len(cells) else None
        try:
            text = cell_text(raw)
        except LostPrecision as error:
            errors.append(_error(number, key, str(raw), "lost_precision", digits=len(str(error))))
            text = ""
        values[key] = _SHOWN_RULES.get(key, normalize_code)(text)
        if key in _SHOWN_RULES and values[key] != text:
            normalized.append(Normalization(number, COLUMN_BY_KEY[key].label, text, values[key]))
    values.setdefault("name", "")
    return values


def _check_row(number: int, values: dict[str, str], units: dict[str, UnitInfo],
               errors: list) -> RosterRow | None:
    before = len(errors)
    for key in ("username", "name", "org_code", "rank"):
        if not values.get(key) and not any(e.column == COLUMN_BY_KEY[key].label for e in errors):
            errors.append(_error(number, key, "", "missing_value"))
    for key, value in values.items():
        limit = COLUMN_BY_KEY[key].max_length
        if limit and len(value) > limit:
            errors.append(_error(number, key, value, "too_long", max=limit))
    username = values.get("username", "")
    if username and not _USERNAME.match(username):
        errors.append(_error(number, "username", username, "bad_username"))
    unit = _unit(number, values.get("org_code", ""), units, errors)
    rank = _choice(number, "rank", values.get("rank", ""), parse_rank, "bad_rank", errors)
    category = _choice(number, "category", values.get("category", ""), parse_category,
                       "bad_category", errors)
    roles, unknown = parse_roles(values.get("roles", ""))
    if unknown:
        errors.append(_error(number, "roles", values["roles"], "unknown_role",
                             names="、".join(unknown)))
    phone = _contact(number, "phone", values.get("phone", ""), errors)
    email = _contact(number, "email", values.get("email", ""), errors)
    if len(errors) > before or unit is None or rank is None:
        return None
    return RosterRow(number, username, values["name"], values["org_code"], unit.id, rank,
                     category, roles, phone, email)


def _unit(number: int, code: str, units: dict[str, UnitInfo], errors: list) -> UnitInfo | None:
    if not code:
        return None
    unit = units.get(code)
    if unit is None:
        errors.append(_error(number, "org_code", code, "unknown_unit"))
    elif not unit.active:
        errors.append(_error(number, "org_code", code, "inactive_unit", unit=unit.name))
        return None
    return unit


def _choice(number: int, key: str, text: str, parse, code: str, errors: list):
    if not text:
        return None
    value = parse(text)
    if value is None:
        errors.append(_error(number, key, text, code))
    return value


def _contact(number: int, key: str, text: str, errors: list) -> str:
    if not text:
        return ""
    if key == "phone":
        compact = re.sub(r"[\s()-]", "", text)
        ok = bool(_MOBILE.match(compact) or _LANDLINE.match(compact))
    else:
        ok = bool(_EMAIL.match(text))
    if not ok:
        errors.append(_error(number, key, text, f"bad_{key}"))
        return ""
    return text


def _error(number: int, key: str, value: str, code: str, **params) -> RowError:
    shown = value if len(value) <= _SHOWN_VALUE else value[:_SHOWN_VALUE] + "…"
    return RowError(number, COLUMN_BY_KEY[key].label, shown, code, params)
