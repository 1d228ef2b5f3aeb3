"""A roster file's bytes to numbered rows of cells: CSV (any of our encodings) or XLSX.

The kind is told by the content, never by the uploaded file name. XLSX is read with
openpyxl's read-only mode (the import's real cost) after a look at the zip, so a zip bomb
is refused unopened; cells keep their types, so the rules can tell an ID-like number that
lost digits from a text cell.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

from app.domain.roster import RosterFileError, decode_csv

#: The web page's cap (an upload held in a request); the CLI reads any size (capped=False).
MAX_ROWS = 100_000
_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
_MAX_RATIO = 200
_OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RosterTable:
    kind: str  # "csv" or "xlsx"
    encoding: str | None  # the CSV's encoding; None for XLSX
    header: list
    rows: list[tuple[int, list]]  # (row number as a spreadsheet shows it, cells)


def read_roster_table(data: bytes, *, capped: bool = True) -> RosterTable:
    limit = MAX_ROWS if capped else None
    if not data.strip():
        raise RosterFileError("empty")
    if data.startswith(_OLD_XLS):
        raise RosterFileError("old_xls")
    if data.startswith(b"PK\x03\x04"):
        return _with_header("xlsx", None, _xlsx_rows(data, limit), limit)
    decoded = decode_csv(data)
    try:
        rows = list(enumerate(csv.reader(io.StringIO(decoded.text, newline="")), start=1))
    except csv.Error:
        raise RosterFileError("not_xlsx") from None
    return _with_header("csv", decoded.encoding, rows, limit)


def _with_header(kind: str, encoding: str | None, rows: list,
                 limit: int | None) -> RosterTable:
    for position, (_number, cells) in enumerate(rows):
        if any(cell is not None and str(cell).strip() for cell in cells):
            data_rows = rows[position + 1:]
            if limit is not None and len(data_rows) > limit:
                raise RosterFileError("too_many_rows", limit=limit)
            return RosterTable(kind, encoding, list(cells), data_rows)
    raise RosterFileError("empty")


def _xlsx_rows(data: bytes, limit: int | None) -> list[tuple[int, list]]:
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a broken upload may fail anywhere in openpyxl
        raise RosterFileError("unreadable") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if limit is not None and number > limit + 1000:
                raise RosterFileError("too_many_rows", limit=limit)
            rows.append((number, list(cells)))
        return rows
    except RosterFileError:
        raise
    except Exception:  # noqa: BLE001
        raise RosterFileError("unreadable") from None
    finally:
        workbook.close()


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise RosterFileError("not_xlsx") from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise RosterFileError("not_xlsx")
    unpacked = sum(member.file_size for member in members)
    too_tight = any(member.file_size > 1024 * 1024
                    and member.file_size > _MAX_RATIO * max(member.compress_size, 1)
                    for member in members)
    if unpacked > _MAX_UNPACKED_BYTES or too_tight:
        raise RosterFileError("zip_bomb")
