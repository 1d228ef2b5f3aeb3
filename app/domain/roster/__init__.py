"""The roster (花名册) from the HR system as a file: pure rules, no database.

- headers: the columns (Chinese or English headers), which are required;
- normalize: decoding CSV bytes, cell values to text, NFKC codes, rank/category/role names;
- rows: each data row checked into a RosterRow or RowErrors (row, column, value, reason);
- diff: the checked rows against existing accounts: creates, updates, deactivations.
"""

from app.domain.roster.diff import (
    ExistingAccount,
    FieldChange,
    RosterDiff,
    RosterUpdate,
    diff_roster,
)
from app.domain.roster.headers import COLUMNS, HeaderMap, RosterColumn, map_headers
from app.domain.roster.normalize import (
    Decoded,
    RosterFileError,
    cell_text,
    decode_csv,
    normalize_code,
    parse_category,
    parse_rank,
    parse_roles,
)
from app.domain.roster.rows import (
    ERROR_TEXTS,
    Normalization,
    RosterCheck,
    RosterRow,
    RowError,
    UnitInfo,
    check_rows,
    describe_error,
)

__all__ = [
    "COLUMNS", "ERROR_TEXTS", "Decoded", "ExistingAccount", "FieldChange", "HeaderMap",
    "Normalization", "RosterCheck", "RosterColumn", "RosterDiff", "RosterFileError", "RosterRow",
    "RosterUpdate", "RowError", "UnitInfo", "cell_text", "check_rows", "decode_csv",
    "describe_error", "diff_roster", "map_headers", "normalize_code", "parse_category",
    "parse_rank", "parse_roles",
]
