"""The roster's columns: Chinese or English headers, required or optional; others ignored."""

from dataclasses import dataclass, field

from app.domain.roster.normalize import normalize_code


@dataclass(frozen=True)
class RosterColumn:
    key: str
    chinese: str
    english: str
    required: bool
    max_length: int | None = None
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How messages name the column: both headers, the reader wrote one of them."""
        return f"{self.chinese}/{self.english}"


COLUMNS = (
    RosterColumn("username", "工号", "username", True, 64, ("员工编号", "employee_number")),
    RosterColumn("name", "姓名", "name", True, 64),
    RosterColumn("org_code", "单位代码", "org_code", True, 32, ("org code", "unit_code")),
    RosterColumn("rank", "职级", "rank", True),
    RosterColumn("category", "类别", "category", False, None, ("工作类别", "work_category")),
    RosterColumn("roles", "角色", "roles", False),
    RosterColumn("phone", "手机", "phone", False, 32, ("手机号", "mobile")),
    RosterColumn("email", "邮箱", "email", False, 254, ("电子邮箱", "e-mail")),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def _header_key(text: str) -> str:
    return normalize_code(text).lower().replace(" ", "").replace("_", "").replace("-", "")


_KEY_BY_HEADER = {
    _header_key(name): column.key
    for column in COLUMNS
    for name in (column.chinese, column.english, *column.aliases)
}


@dataclass
class HeaderMap:
    """Which cell index holds which column; problems with the header row itself."""

    index_by_key: dict[str, int] = field(default_factory=dict)
    missing: list[RosterColumn] = field(default_factory=list)
    duplicated: list[RosterColumn] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.duplicated


def map_headers(cells: list) -> HeaderMap:
    """Match the header row's cells to the columns; unknown headers are ignored."""
    result = HeaderMap()
    for index, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        key = _KEY_BY_HEADER.get(_header_key(text))
        if key is None:
            result.ignored.append(text)
        elif key in result.index_by_key:
            if COLUMN_BY_KEY[key] not in result.duplicated:
                result.duplicated.append(COLUMN_BY_KEY[key])
        else:
            result.index_by_key[key] = index
    result.missing = [c for c in COLUMNS if c.required and c.key not in result.index_by_key]
    return result
